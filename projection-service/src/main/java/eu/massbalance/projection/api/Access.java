package eu.massbalance.projection.api;

import eu.massbalance.contracts.access.Principal;
import eu.massbalance.projection.store.ReadModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import java.util.Arrays;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who may read what, from the bearer token the identity provider signed: compliance officers their
 * own organisation's books ({@code org} claim), auditors the organisations granted to them
 * ({@code orgs} claim), the admin the service's own operations. Every refusal names what is missing.
 */
@ApplicationScoped
public class Access {

    @Inject
    JsonWebToken token;

    @Inject
    ReadModels read;

    @Inject
    eu.massbalance.projection.store.DispatchViews dispatchViews;

    @ConfigProperty(name = "massbalance.claims.organisation", defaultValue = "org")
    String organisationClaim;

    @ConfigProperty(name = "massbalance.claims.organisations", defaultValue = "orgs")
    String organisationsClaim;

    public Principal current() {
        if (token == null || token.getSubject() == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return Principal.fromClaims(token.getSubject(), token.getClaim(organisationClaim), token.getClaim("azp"),
                token.getGroups() == null ? Set.of() : token.getGroups(), token.getClaim(organisationsClaim));
    }

    public Principal require(String... roles) {
        Principal caller = current();
        if (Arrays.stream(roles).noneMatch(caller::has)) {
            throw forbidden("ROLE_MISSING", "This needs the role " + String.join(" or ", roles) + "; the token carries "
                    + (caller.roles().isEmpty() ? "none" : caller.roles()));
        }
        return caller;
    }

    /** A compliance officer of the site's organisation, or an auditor granted it. */
    public Principal readerOf(String siteId) {
        Principal caller = require(Principal.COMPLIANCE_OFFICER, Principal.AUDITOR);
        String organisation = read.organisationOf(siteId).orElse(null);
        if (!caller.mayRead(organisation)) {
            throw forbidden("SITE_NOT_GRANTED", "Site " + siteId + " is not one of the organisations this caller may read: "
                    + (caller.readable().isEmpty() ? "none" : caller.readable()));
        }
        return caller;
    }

    /**
     * Who may ask the dispatch check: an ERP client or a compliance officer of the site's
     * organisation. (Which sites an ERP client was granted is kept by ledger-service, which checks
     * it when the outbound is posted; here the organisation decides.)
     */
    Principal dispatcherOf(String siteId) {
        Principal caller = require(Principal.ERP, Principal.COMPLIANCE_OFFICER);
        String organisation = dispatchViews.organisationOf(siteId).or(() -> read.organisationOf(siteId)).orElse(null);
        if (organisation == null || !organisation.equals(caller.organisation())) {
            throw forbidden("SITE_NOT_GRANTED", "Site " + siteId + " is not a site of the caller's organisation "
                    + (caller.organisation() == null ? "(none in the token)" : caller.organisation()));
        }
        return caller;
    }

    /** A compliance officer of the organisation, or an auditor granted it. */
    public Principal readerOfOrganisation(String organisationId) {
        Principal caller = require(Principal.COMPLIANCE_OFFICER, Principal.AUDITOR);
        if (!caller.mayRead(organisationId)) {
            throw forbidden("ORGANISATION_NOT_GRANTED", "Organisation " + organisationId + " is not one this caller may read: "
                    + (caller.readable().isEmpty() ? "none" : caller.readable()));
        }
        return caller;
    }

    /** A refusal that {@link Problems} answers as a 403 problem with its code. */
    static final class Denied extends ForbiddenException {
        final String code;

        Denied(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static Denied forbidden(String code, String message) {
        return new Denied(code, message);
    }
}
