package eu.massbalance.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tokens from the local stack's Keycloak: the demo users by password, the demo ERP by client credentials. */
final class KeycloakIdentity implements Identity {

    /** The demo's people, one per role (the ERP is the client {@value Identity#ERP_CLIENT}). */
    static final Map<String, String> USERS = Map.of(
            "compliance-officer", "anna.compliance",
            "auditor", "greta.auditor",
            "admin", "ivar.admin");

    private record Cached(String token, Instant until) {
    }

    private final KeycloakProcess keycloak;
    private final Map<String, Cached> tokens = new ConcurrentHashMap<>();

    KeycloakIdentity(KeycloakProcess keycloak) {
        this.keycloak = keycloak;
    }

    @Override
    public Map<String, String> serviceEnv() {
        // the workspace's people sign in at the same issuer (authorization code flow, client massbalance-web)
        return Map.of("MASSBALANCE_OIDC_KEYS", keycloak.jwks(), "MASSBALANCE_OIDC_ISSUER", keycloak.issuer(),
                "MASSBALANCE_WEB_ISSUER", keycloak.issuer());
    }

    @Override
    public String token(String role) {
        Cached cached = tokens.get(role);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return cached.token();
        }
        String token;
        if ("erp".equals(role)) {
            token = keycloak.clientToken(ERP_CLIENT);
        } else if ("battery-erp".equals(role)) {
            token = keycloak.clientToken(BATTERY_ERP_CLIENT);
        } else if ("battery-officer".equals(role)) {
            token = keycloak.clientToken(BATTERY_OFFICE_CLIENT);
        } else if (USERS.containsKey(role)) {
            token = keycloak.userToken(USERS.get(role));
        } else {
            throw new IllegalArgumentException("No demo user for role " + role + "; one of erp, battery-erp, battery-officer, "
                    + USERS.keySet());
        }
        // the realm's tokens live an hour; take a new one well before
        tokens.put(role, new Cached(token, Instant.now().plus(Duration.ofMinutes(30))));
        return token;
    }

    @Override
    public List<String> howToSignIn(String projectionUrl) {
        return List.of(
                "Sign-in: Keycloak " + keycloak.url() + " (realm " + KeycloakProcess.REALM + ", admin console user admin; passwords in "
                        + keycloak.secrets().file() + ")",
                "  demo users: " + String.join(", ", new java.util.TreeSet<>(USERS.values())) + " (password "
                        + keycloak.secrets().password("demo-users") + "); the ERP is client " + ERP_CLIENT
                        + " (client credentials)",
                "  TOKEN=$(deploy/token compliance-officer)      or by hand:",
                "  TOKEN=$(curl -s -d grant_type=password -d client_id=" + KeycloakProcess.CLI_CLIENT
                        + " -d username=anna.compliance -d password=… " + keycloak.tokenEndpoint() + " | jq -r .access_token)",
                "  curl -H \"Authorization: Bearer $TOKEN\" " + projectionUrl + "/api/v1/sites/gavle-depot/periods");
    }
}
