package eu.massbalance.projection.evidence;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key the operator gives the projection to sign period statements: an RSA private key (PEM,
 * 2048 bits or more) read from the file named by {@code MASSBALANCE_STATEMENT_KEY}, never from the
 * repository. Its public half is published as a JWK Set; its key id is the RFC 7638 thumbprint, so
 * a statement names the key that signed it. Keys and signatures are Nimbus JOSE's.
 */
@ApplicationScoped
public class StatementKey {

    @ConfigProperty(name = "massbalance.statement.key")
    Optional<Path> keyFile;

    private volatile RSAKey loaded;

    public boolean configured() {
        return keyFile.isPresent();
    }

    /** The public key as a JWK Set. */
    public Map<String, Object> jwks() {
        return new JWKSet(key().toPublicJWK()).toJSONObject(true);
    }

    /** The key's id (its RFC 7638 thumbprint), as statements name it. */
    public String keyId() {
        return key().getKeyID();
    }

    /** A compact JWS (RS256) over {@code payload}, naming this key. */
    public String sign(String payload) {
        RSAKey key = key();
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(new JOSEObjectType("massbalance-statement+jws")).build(), new Payload(payload));
            jws.sign(new RSASSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("A statement could not be signed", e);
        }
    }

    private RSAKey key() {
        RSAKey key = loaded;
        if (key == null) {
            key = load(keyFile.orElseThrow(() -> new IllegalStateException("MASSBALANCE_STATEMENT_KEY is not set")));
            loaded = key;
        }
        return key;
    }

    static RSAKey load(Path file) {
        try {
            String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
            java.security.interfaces.RSAPrivateCrtKey privateKey = (java.security.interfaces.RSAPrivateCrtKey) rsa.generatePrivate(
                    new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
            if (privateKey.getModulus().bitLength() < 2048) {
                throw new IllegalStateException("The statement key in " + file + " must have 2048 bits or more");
            }
            java.security.interfaces.RSAPublicKey publicKey = (java.security.interfaces.RSAPublicKey) rsa.generatePublic(
                    new java.security.spec.RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new RSAKey.Builder(publicKey).privateKey(privateKey).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint().build();
        } catch (IOException e) {
            throw new UncheckedIOException("The statement key could not be read from " + file, e);
        } catch (java.security.GeneralSecurityException | IllegalArgumentException | ClassCastException | JOSEException e) {
            throw new IllegalStateException("The statement key in " + file + " is not an RSA private key in PKCS#8 PEM", e);
        }
    }
}
