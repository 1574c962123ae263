package eu.massbalance.projection.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void well_formed_payloads_are_stored_as_received() {
        byte[] ascii = "{\"siteId\":\"gavle\"}".getBytes(StandardCharsets.UTF_8);
        byte[] swedish = "{\"siteId\":\"Luleå\"}".getBytes(StandardCharsets.UTF_8);
        assertSame(ascii, Utf8.storable(ascii));
        assertSame(swedish, Utf8.storable(swedish));
    }

    @Test
    void malformed_sequences_and_nul_become_replacement_characters() {
        byte[] malformed = {'a', (byte) 0xC3, 'b', 0, 'c'};
        assertEquals("a\uFFFDb\uFFFDc", new String(Utf8.storable(malformed), StandardCharsets.UTF_8));
    }

    @Test
    void a_tombstone_is_an_empty_payload() {
        assertArrayEquals(new byte[0], Utf8.storable(null));
    }
}
