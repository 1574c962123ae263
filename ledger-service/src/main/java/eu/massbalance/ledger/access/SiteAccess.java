package eu.massbalance.ledger.access;

import eu.massbalance.contracts.access.Principal;
import eu.massbalance.ledger.intake.SiteRegistry;
import eu.massbalance.ledger.problem.Rejection;
import eu.massbalance.ledger.store.Organisations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who may do what with a site: a compliance officer with its own organisation's sites, an ERP
 * client with the sites an admin granted it, an auditor reading the organisations granted to it.
 * Every answer names the role or grant that is missing.
 */
@ApplicationScoped
public class SiteAccess {

    @Inject
    Callers callers;

    @Inject
    SiteRegistry sites;

    @Inject
    Organisations organisations;

    /** A compliance officer of an organisation an admin registered: the one that registers sites and certificates. */
    public Principal officer() {
        Principal caller = callers.require(Principal.COMPLIANCE_OFFICER);
        if (caller.organisation() == null) {
            throw forbidden("ORGANISATION_MISSING", "The token names no organisation (claim org); ask the identity provider's"
                    + " administrator to add it");
        }
        if (organisations.find(caller.organisation()).isEmpty()) {
            throw forbidden("ORGANISATION_UNKNOWN", "Organisation " + caller.organisation() + " is not registered; an admin"
                    + " registers it with PUT /api/v1/organisations/" + caller.organisation());
        }
        return caller;
    }

    /** A compliance officer of the site's organisation. */
    public Principal officerOf(String siteId) {
        Principal caller = callers.require(Principal.COMPLIANCE_OFFICER);
        if (!organisationOf(siteId).equals(caller.organisation())) {
            throw notGranted(siteId, "it belongs to another organisation than " + caller.organisation());
        }
        return caller;
    }

    /** An ERP client of the site's organisation that an admin granted the site. */
    public Principal erpFor(String siteId) {
        Principal caller = callers.require(Principal.ERP);
        String organisation = organisationOf(siteId);
        if (!organisation.equals(caller.organisation()) || !organisations.granted(clientOf(caller), siteId, organisation)) {
            throw notGranted(siteId, "client " + clientOf(caller) + " has no grant for it; an admin grants it with PUT"
                    + " /api/v1/organisations/" + organisation + "/erp-clients/" + clientOf(caller) + "/sites/" + siteId);
        }
        return caller;
    }

    /** Anyone who may read the site: its organisation's compliance officers, granted auditors and ERP clients. */
    public Principal readerOf(String siteId) {
        Principal caller = callers.require(Principal.COMPLIANCE_OFFICER, Principal.AUDITOR, Principal.ERP);
        String organisation = organisationOf(siteId);
        boolean erp = caller.has(Principal.ERP) && organisation.equals(caller.organisation())
                && organisations.granted(clientOf(caller), siteId, organisation);
        if (!caller.mayRead(organisation) && !erp) {
            throw notGranted(siteId, "its organisation is not the caller's, nor granted to it");
        }
        return caller;
    }

    /** The ERP client a caller posts as: its client id, or its subject for a token without one. */
    public static String clientOf(Principal caller) {
        return caller.clientId() != null ? caller.clientId() : caller.subject();
    }

    /** One look-up: the stored configuration names the site's organisation. */
    private String organisationOf(String siteId) {
        String organisation = sites.require(siteId).organisationId();
        if (organisation == null) {
            throw notGranted(siteId, "it belongs to no organisation");
        }
        return organisation;
    }

    private static Rejection notGranted(String siteId, String why) {
        return forbidden("SITE_NOT_GRANTED", "Site " + siteId + " is not granted to this caller: " + why);
    }

    private static Rejection forbidden(String code, String message) {
        return new Rejection(Rejection.Kind.FORBIDDEN, code, message);
    }
}
