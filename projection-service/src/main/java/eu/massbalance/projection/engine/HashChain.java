package eu.massbalance.projection.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tamper-evident chain over a site's events: {@code h_n = SHA-256(h_{n-1} || bytes_n)},
 * {@code h_0} = 32 zero bytes. The bytes are the event's canonical JSON, as stored in the journal.
 */
public final class HashChain {

    public static final byte[] GENESIS = new byte[32];

    private final MessageDigest sha256;
    private byte[] head;

    public HashChain() {
        this(GENESIS);
    }

    public HashChain(byte[] head) {
        this.head = head.clone();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Appends one event's bytes and returns the new head. */
    public byte[] append(byte[] eventBytes) {
        sha256.update(head);
        sha256.update(eventBytes);
        head = sha256.digest();
        return head.clone();
    }

    public byte[] head() {
        return head.clone();
    }

    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
