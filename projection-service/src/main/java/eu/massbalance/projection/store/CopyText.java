package eu.massbalance.projection.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.PGConnection;

/**
 * Rows in PostgreSQL's COPY text format, encoded as UTF-8 straight into one growing byte array
 * and sent in one COPY (the database's encoding is UTF-8).
 */
final class CopyText {

    private static final byte[] NULL = {'\\', 'N'};

    private final String copy;
    private byte[] bytes;
    private int length;
    private int count;
    private boolean rowOpen;

    /** {@code table} with its column list, e.g. {@code "journal (site_id, seq)"}. */
    CopyText(String table, int initialCapacity) {
        this(table, new byte[initialCapacity]);
    }

    /** Starts with {@code buffer} (its content is overwritten), for instance one handed back by {@link #buffer()}. */
    CopyText(String table, byte[] buffer) {
        this.copy = "COPY " + table + " FROM STDIN";
        this.bytes = buffer;
    }

    /** The buffer, for reuse once the rows are written. */
    byte[] buffer() {
        return bytes;
    }

    /** Appends a field to the current row; {@code null} is SQL NULL. */
    CopyText field(Object value) {
        separate();
        if (value == null) {
            ensure(2);
            bytes[length++] = NULL[0];
            bytes[length++] = NULL[1];
        } else {
            escape(value.toString());
        }
        return this;
    }

    /** Appends text that is already well-formed UTF-8 without NUL (see {@link Utf8#storable}). */
    CopyText utf8(byte[] text) {
        separate();
        ensure(text.length * 2);
        for (byte b : text) {
            switch (b) {
                case '\\' -> two('\\', '\\');
                case '\t' -> two('\\', 't');
                case '\n' -> two('\\', 'n');
                case '\r' -> two('\\', 'r');
                default -> bytes[length++] = b;
            }
        }
        return this;
    }

    CopyText field(long value) {
        separate();
        escape(Long.toString(value));
        return this;
    }

    void endRow() {
        ensure(1);
        bytes[length++] = '\n';
        rowOpen = false;
        count++;
    }

    int size() {
        return count;
    }

    /** The rows as text, for tests. */
    String text() {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    void copyInto(Connection connection) throws SQLException {
        if (count == 0) {
            return;
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new ByteArrayInputStream(bytes, 0, length), 1 << 16);
        } catch (IOException e) {
            throw new SQLException("COPY failed: " + copy, e);
        }
    }

    private void separate() {
        if (rowOpen) {
            ensure(1);
            bytes[length++] = '\t';
        }
        rowOpen = true;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /**
     * UTF-8, with backslash, tab, newline and carriage return escaped as COPY wants them; NUL, which
     * no PostgreSQL text can hold, becomes U+FFFD.
     */
    private void escape(String text) {
        int n = text.length();
        ensure(n * 2);
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                switch (ch) {
                    case '\\' -> two('\\', '\\');
                    case '\t' -> two('\\', 't');
                    case '\n' -> two('\\', 'n');
                    case '\r' -> two('\\', 'r');
                    case '\0' -> utf8(0xFFFD);
                    default -> bytes[length++] = (byte) ch;
                }
            } else {
                int codePoint = ch;
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    codePoint = Character.toCodePoint(ch, text.charAt(++i));
                } else if (Character.isSurrogate(ch)) {
                    codePoint = '?'; // half a pair is no character; String.getBytes does the same
                }
                utf8(codePoint);
            }
        }
    }

    private void two(char a, char b) {
        ensure(2);
        bytes[length++] = (byte) a;
        bytes[length++] = (byte) b;
    }

    private void utf8(int codePoint) {
        ensure(4);
        if (codePoint < 0x80) {
            bytes[length++] = (byte) codePoint;
            return;
        }
        if (codePoint < 0x800) {
            bytes[length++] = (byte) (0xC0 | codePoint >> 6);
        } else if (codePoint < 0x10000) {
            bytes[length++] = (byte) (0xE0 | codePoint >> 12);
            bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
        } else {
            bytes[length++] = (byte) (0xF0 | codePoint >> 18);
            bytes[length++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
            bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
        }
        bytes[length++] = (byte) (0x80 | codePoint & 0x3F);
    }
}
