package eu.massbalance.projection.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The bytes of a record as the journal can store them: well-formed UTF-8 without NUL. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * The payload itself when it is well-formed UTF-8 without NUL (every event a producer writes);
     * otherwise its text with malformed sequences and NUL replaced by U+FFFD, so that the row can
     * be stored and the chain hash is taken over exactly the bytes stored.
     */
    static byte[] storable(byte[] payload) {
        if (payload == null) {
            return new byte[0]; // a tombstone: journaled as an unreadable event
        }
        boolean ascii = true;
        for (byte b : payload) {
            if (b <= 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return payload;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
            return text.indexOf('\0') < 0 ? payload : text.replace('\0', '\uFFFD').getBytes(StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return new String(payload, StandardCharsets.UTF_8).replace('\0', '\uFFFD').getBytes(StandardCharsets.UTF_8);
        }
    }
}
