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

    /**
     * The principal from a verified token's claims, whatever their JSON form (a string, a JSON-P
     * string or array, a collection): both services read tokens the same way.
     */
    public static Principal fromClaims(String subject, Object organisation, Object client, Set<String> roles, Object organisations) {
        return new Principal(subject, text(organisation), text(client), roles, list(organisations));
    }

    private static String text(Object claim) {
        if (claim == null) {
            return null;
        }
        String value = claim instanceof jakarta.json.JsonString s ? s.getString() : claim.toString();
        return value.isBlank() ? null : value;
    }

    private static List<String> list(Object claim) {
        if (claim instanceof jakarta.json.JsonArray array) {
            return array.getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
        }
        if (claim instanceof java.util.Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        String one = text(claim);
        return one == null ? List.of() : List.of(one);
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
