package eu.massbalance.projection.api;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens verified once, then remembered until they expire (at most a minute): an ERP that
 * asks the dispatch check at every loading sends the same token hundreds of times a second, and
 * parsing and verifying it was half of what each request allocated. Only a token that passed the
 * full check (signature, issuer, expiry) is remembered, by its exact text, and its expiry is
 * checked again on every use; the memory is bounded. A key withdrawn from the provider stops
 * signing new tokens at once and old ones within the minute.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    static final int MAX_TOKENS = 10_000;
    static final long REMEMBER_MILLIS = 60_000;

    private record Verified(JsonWebToken token, long validUntilMillis) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    @Inject
    DefaultJWTParser parser;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = clock.millis();
        Verified known = verified.get(token);
        if (known != null && now < known.validUntilMillis()) {
            return known.token();
        }
        if (known != null) {
            verified.remove(token);
        }
        JsonWebToken parsed = parser.parse(token);
        long expires = parsed.getExpirationTime() * 1000L;
        if (expires > now) {
            if (verified.size() >= MAX_TOKENS) {
                verified.clear(); // bounded: a flood of distinct tokens costs verifications, never memory
            }
            verified.put(token, new Verified(parsed, Math.min(expires, now + REMEMBER_MILLIS)));
        }
        return parsed;
    }

    /** Whether this exact token is remembered as verified and not yet expired. */
    boolean remembers(String token) {
        Verified known = verified.get(token);
        return known != null && clock.millis() < known.validUntilMillis();
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return parser.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return parser.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return parser.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return parser.parseOnly(token);
    }
}
