package eu.massbalance.stack;

import eu.massbalance.testinfra.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local stack's stand-in for an OpenID Connect provider when no JDK can run Keycloak here: a
 * signing key made at the first start under {@code .local/keys/}, which both services trust, and the
 * demo's users and ERP client. A company runs its own provider instead and points the services at
 * its keys and issuer.
 */
final class LocalIdentity implements Identity {

    static final String ISSUER = "http://localhost/massbalance-local";

    /** The demo's callers, one per role. */
    static final Map<String, Tokens.Principal> USERS = Map.of(
            "erp", new Tokens.Principal("service-account-demo-erp", ORG, ERP_CLIENT, Set.of("erp"), List.of()),
            "compliance-officer", new Tokens.Principal("anna.compliance", ORG, "massbalance-web", Set.of("compliance-officer"),
                    List.of()),
            "auditor", new Tokens.Principal("greta.auditor", null, "massbalance-web", Set.of("auditor"), List.of(ORG)),
            "admin", new Tokens.Principal("ivar.admin", null, "massbalance-web", Set.of("admin"), List.of()),
            "battery-erp", new Tokens.Principal("service-account-" + BATTERY_ERP_CLIENT, BATTERY_ORG, BATTERY_ERP_CLIENT,
                    Set.of("erp"), List.of()),
            "battery-officer", new Tokens.Principal("service-account-" + BATTERY_OFFICE_CLIENT, BATTERY_ORG, BATTERY_OFFICE_CLIENT,
                    Set.of("compliance-officer"), List.of()));

    private final Path publicKey;
    private final PrivateKey privateKey;

    private LocalIdentity(Path publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** The key pair under {@code home/keys}, made on first use. */
    static LocalIdentity at(Path home) {
        try {
            Path keys = Files.createDirectories(home.resolve("keys"));
            Path publicKey = keys.resolve("public.pem");
            Path privateKey = keys.resolve("private.pem");
            if (!Files.exists(publicKey) || !Files.exists(privateKey)) {
                Tokens.newKeyPair(publicKey, privateKey);
            }
            return new LocalIdentity(publicKey, Tokens.readPrivateKey(privateKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the services need to verify tokens. */
    @Override
    public Map<String, String> serviceEnv() {
        return Map.of("MASSBALANCE_OIDC_KEYS", publicKey.toString(), "MASSBALANCE_OIDC_ISSUER", ISSUER);
    }

    @Override
    public String token(String role) {
        Tokens.Principal user = USERS.get(role);
        if (user == null) {
            throw new IllegalArgumentException("No demo user for role " + role + "; one of " + USERS.keySet());
        }
        return Tokens.sign(user, ISSUER, privateKey);
    }

    @Override
    public List<String> howToSignIn(String projectionUrl) {
        return List.of("Sign-in (no JDK 21+ for Keycloak here: a local signing key stands in for your OpenID Connect provider):",
                "  demo users: " + String.join(", ", new java.util.TreeSet<>(USERS.keySet())) + " (one per role; the ERP is client "
                        + ERP_CLIENT + ")",
                "  TOKEN=$(deploy/token compliance-officer)",
                "  curl -H \"Authorization: Bearer $TOKEN\" " + projectionUrl + "/api/v1/sites/gavle-depot/periods");
    }

    /**
     * Prints a demo token: {@code deploy/token <role>}, from the local stack's Keycloak when it
     * runs one, else signed with the local key.
     */
    public static void main(String[] args) {
        if (args.length != 1 || !USERS.containsKey(args[0])) {
            System.err.println("usage: deploy/token <role>, one of " + USERS.keySet());
            System.exit(2);
        }
        Path home = Path.of(System.getenv().getOrDefault("MB_REPOSITORY", ".")).resolve(".local");
        Path keycloakSecrets = home.resolve("keycloak/credentials.properties");
        if (Files.exists(keycloakSecrets)) {
            String url = "http://127.0.0.1:" + System.getenv().getOrDefault("MB_KEYCLOAK_PORT", "8180") + "/realms/"
                    + KeycloakProcess.REALM + "/protocol/openid-connect/token";
            Secrets secrets = Secrets.at(keycloakSecrets, "");
            Map<String, String> form = "erp".equals(args[0])
                    ? Map.of("grant_type", "client_credentials", "client_id", ERP_CLIENT, "client_secret", secrets.password(ERP_CLIENT))
                    : Map.of("grant_type", "password", "client_id", KeycloakProcess.CLI_CLIENT,
                    "username", KeycloakIdentity.USERS.get(args[0]), "password", secrets.password("demo-users"));
            System.out.println(KeycloakProcess.token(url, form, java.net.http.HttpClient.newHttpClient()));
            return;
        }
        if (!Files.exists(home.resolve("keys/private.pem"))) {
            System.err.println("No local identity yet: start deploy/run-local once");
            System.exit(1);
        }
        System.out.println(at(home).token(args[0]));
    }
}
