package eu.massbalance.projection.web;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Forms that change something carry an anti-forgery token bound to the person's session: an HMAC,
 * under a key of this service, of the hash of the access token in their cookie. Another site can
 * neither read it from our pages nor compute it. A form is also refused when the browser says it
 * was started from another site ({@code Sec-Fetch-Site}, {@code Origin}); the token cookie being
 * SameSite=Lax is the third line.
 */
@ApplicationScoped
public class FormGuard {

    static final String FIELD = "csrf";

    @ConfigProperty(name = "massbalance.web.form-key")
    Optional<String> configuredKey;

    private SecretKeySpec key;

    @PostConstruct
    void init() {
        byte[] secret = configuredKey.filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            // one instance: a fresh key per start is enough (forms rendered before a restart are refused, and reloaded)
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        });
        key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The token a form rendered for this session carries. */
    public String tokenFor(String accessToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update("massbalance-form|".getBytes(StandardCharsets.UTF_8));
            byte[] session = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(session));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a submitted form is refused, or empty when it may go on. */
    public Optional<String> refusal(String accessToken, String submitted, HttpHeaders headers, URI requestUri) {
        String fetchSite = headers.getHeaderString("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.equals("cross-site")) {
            return Optional.of("FORM_FROM_ANOTHER_SITE");
        }
        String origin = headers.getHeaderString("Origin");
        if (origin != null && !origin.equals("null") && !sameOrigin(origin, requestUri, headers.getHeaderString("Host"))) {
            return Optional.of("FORM_FROM_ANOTHER_SITE");
        }
        if (accessToken == null || submitted == null || submitted.length() > 100
                || !MessageDigest.isEqual(tokenFor(accessToken).getBytes(StandardCharsets.US_ASCII),
                        submitted.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("FORM_TOKEN_INVALID");
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(String origin, URI requestUri, String host) {
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return authority.equalsIgnoreCase(host == null ? requestUri.getAuthority() : host);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
