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
 * The local stack's stand-in for an OpenID Connect provider: a signing key made at the first start
 * under {@code .local/keys/}, which both services trust, and the demo's users and ERP client. A
 * company runs its own provider instead and points the services at its keys and issuer.
 */
final class LocalIdentity {

    static final String ISSUER = "http://localhost/massbalance-local";
    static final String ORG = "demo-org";
    static final String ERP_CLIENT = "demo-erp";

    /** The demo's callers, one per role. */
    static final Map<String, Tokens.Principal> USERS = Map.of(
            "erp", new Tokens.Principal("service-account-demo-erp", ORG, ERP_CLIENT, Set.of("erp"), List.of()),
            "compliance-officer", new Tokens.Principal("anna.compliance", ORG, "massbalance-web", Set.of("compliance-officer"),
                    List.of()),
            "auditor", new Tokens.Principal("greta.auditor", null, "massbalance-web", Set.of("auditor"), List.of(ORG)),
            "admin", new Tokens.Principal("ivar.admin", null, "massbalance-web", Set.of("admin"), List.of()));

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
    Map<String, String> serviceEnv() {
        return Map.of("MASSBALANCE_OIDC_KEYS", publicKey.toString(), "MASSBALANCE_OIDC_ISSUER", ISSUER);
    }

    String token(String role) {
        Tokens.Principal user = USERS.get(role);
        if (user == null) {
            throw new IllegalArgumentException("No demo user for role " + role + "; one of " + USERS.keySet());
        }
        return Tokens.sign(user, ISSUER, privateKey);
    }

    /** Prints a demo token: {@code deploy/token <role>}. */
    public static void main(String[] args) {
        if (args.length != 1 || !USERS.containsKey(args[0])) {
            System.err.println("usage: deploy/token <role>, one of " + USERS.keySet());
            System.exit(2);
        }
        Path home = Path.of(System.getenv().getOrDefault("MB_REPOSITORY", ".")).resolve(".local");
        if (!Files.exists(home.resolve("keys/private.pem"))) {
            System.err.println("No local identity yet: start deploy/run-local once");
            System.exit(1);
        }
        System.out.println(at(home).token(args[0]));
    }
}
