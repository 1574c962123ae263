package eu.massbalance.testinfra;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Bearer tokens as an OpenID Connect provider issues them (RS256, issuer, subject, roles in
 * {@code groups}, the organisation in {@code org}, an auditor's organisations in {@code orgs},
 * the client in {@code azp}), signed with a key the services are configured to trust. Tests use
 * the test key in {@code tokens/}; the local stack makes its own key at first start.
 */
public final class Tokens {

    /** The issuer of test tokens; the services' test profiles trust it with {@code tokens/test-public.pem}. */
    public static final String TEST_ISSUER = "https://massbalance.test/issuer";

    private static final PrivateKey TEST_KEY = readPrivateKey(resource("/tokens/test-private.pem"));

    private Tokens() {
    }

    /** Who a token speaks for. {@code orgs}: the organisations an auditor is granted. */
    public record Principal(String subject, String organisation, String clientId, Set<String> roles, List<String> orgs) {

        public static Principal of(String subject, String organisation, String... roles) {
            return new Principal(subject, organisation, null, Set.of(roles), List.of());
        }
    }

    /** The test public key as a file, for services started as child JVMs ({@code MASSBALANCE_OIDC_KEYS}). */
    public static synchronized Path testPublicKeyFile() {
        try {
            Path file = Path.of(System.getProperty("java.io.tmpdir"), "massbalance-test-public.pem");
            Files.writeString(file, resource("/tokens/test-public.pem"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String test(Principal p) {
        return sign(p, TEST_ISSUER, TEST_KEY);
    }

    /** A token of the test issuer that expires {@code lifetime} from now. */
    public static String test(Principal p, Duration lifetime) {
        return sign(p, TEST_ISSUER, TEST_KEY, lifetime);
    }

    public static String test(String subject, String organisation, String... roles) {
        return test(Principal.of(subject, organisation, roles));
    }

    public static String sign(Principal p, String issuer, PrivateKey key) {
        return sign(p, issuer, key, Duration.ofHours(8));
    }

    public static String sign(Principal p, String issuer, PrivateKey key, Duration lifetime) {
        JwtClaimsBuilder claims = Jwt.issuer(issuer).subject(p.subject()).upn(p.subject()).groups(p.roles())
                .expiresIn(lifetime);
        if (p.organisation() != null) {
            claims.claim("org", p.organisation());
        }
        if (p.clientId() != null) {
            claims.claim("azp", p.clientId());
        }
        if (!p.orgs().isEmpty()) {
            claims.claim("orgs", p.orgs());
        }
        return claims.jws().keyId("massbalance").sign(key);
    }

    /** A new RSA key pair, its public half written as PEM to {@code publicKey} for the services to trust. */
    public static KeyPair newKeyPair(Path publicKey, Path privateKey) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PrivateKey readPrivateKey(Path pem) {
        try {
            return readPrivateKey(Files.readString(pem));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey readPrivateKey(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Not an RSA private key in PKCS#8 PEM", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String resource(String name) {
        try (InputStream in = Tokens.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
