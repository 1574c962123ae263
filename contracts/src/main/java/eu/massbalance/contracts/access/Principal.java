package eu.massbalance.contracts.access;

import java.util.List;
import java.util.Set;

/**
 * Who is calling, as the identity provider's token says: its subject, the organisation it belongs
 * to ({@code org} claim), the client it came through ({@code azp}), its roles ({@code groups}) and,
 * for an auditor, the organisations granted to it ({@code orgs}). Both services decide with it.
 */
public record Principal(String subject, String organisation, String clientId, Set<String> roles, List<String> orgs) {

    public static final String ERP = "erp";
    public static final String COMPLIANCE_OFFICER = "compliance-officer";
    public static final String AUDITOR = "auditor";
    public static final String ADMIN = "admin";

    public Principal {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        orgs = orgs == null ? List.of() : List.copyOf(orgs);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** Whether the caller may read an organisation's books: its own as a compliance officer, granted ones as an auditor. */
    public boolean mayRead(String organisationId) {
        if (organisationId == null) {
            return false;
        }
        return has(COMPLIANCE_OFFICER) && organisationId.equals(organisation) || has(AUDITOR) && orgs.contains(organisationId);
    }

    /** The organisations whose books the caller may read. */
    public Set<String> readable() {
        java.util.Set<String> readable = new java.util.TreeSet<>();
        if (has(COMPLIANCE_OFFICER) && organisation != null) {
            readable.add(organisation);
        }
        if (has(AUDITOR)) {
            readable.addAll(orgs);
        }
        return readable;
    }

    /** How the caller is named on the events it causes: its subject, and the client it came through if another. */
    public String actor() {
        return clientId == null || clientId.equals(subject) ? subject : subject + " via " + clientId;
    }
}
