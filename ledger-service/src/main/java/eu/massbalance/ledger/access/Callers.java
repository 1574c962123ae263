package eu.massbalance.ledger.access;

import eu.massbalance.contracts.access.Principal;
import eu.massbalance.ledger.problem.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated caller, from the bearer token the identity provider signed: the subject
 * ({@code sub}), the organisation ({@code massbalance.claims.organisation}, default {@code org}), the
 * client ({@code azp}), the roles ({@code groups}) and an auditor's organisations
 * ({@code massbalance.claims.organisations}, default {@code orgs}). Never from a header the caller sets.
 */
@ApplicationScoped
public class Callers {

    @Inject
    JsonWebToken token;

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

    /** The caller, if it holds one of {@code roles}; a 403 naming them otherwise. */
    public Principal require(String... roles) {
        Principal caller = current();
        if (Arrays.stream(roles).noneMatch(caller::has)) {
            throw new Rejection(Rejection.Kind.FORBIDDEN, "ROLE_MISSING", "This needs the role "
                    + String.join(" or ", roles) + "; the token carries " + (caller.roles().isEmpty() ? "none" : caller.roles()));
        }
        return caller;
    }
}
