package eu.massbalance.projection.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CopyTextTest {

    @Test
    void fields_are_tab_separated_rows_end_with_a_newline_and_null_is_backslash_N() {
        CopyText rows = new CopyText("t (a, b, c)", 4);
        rows.field("gavle-depot").field(42L).field(null).endRow();
        rows.field("x").field(-1L).field("").endRow();
        assertEquals("gavle-depot\t42\t\\N\nx\t-1\t\n", rows.text());
        assertEquals(2, rows.size());
    }

    @Test
    void backslash_tab_newline_and_carriage_return_are_escaped() {
        CopyText rows = new CopyText("t (a)", 1);
        rows.field("{\"note\":\"a\\\"b\"}\tc\nd\re").endRow();
        assertEquals("{\"note\":\"a\\\\\"b\"}\\tc\\nd\\re\n", rows.text());
    }

    @Test
    void text_outside_ascii_is_encoded_as_utf8_and_half_a_surrogate_pair_as_a_question_mark() {
        CopyText rows = new CopyText("t (a)", 1);
        String text = "Gävle – Luleå € \uD83D\uDE9A";
        rows.field(text).field("a\uD800b").endRow();
        assertEquals(text + "\ta?b\n", rows.text());
    }

    @Test
    void nul_which_no_postgresql_text_holds_becomes_the_replacement_character() {
        CopyText rows = new CopyText("t (a)", 1);
        rows.field("a\u0000b").endRow();
        assertEquals("a\uFFFDb\n", rows.text());
    }

    @Test
    void utf8_payloads_are_escaped_byte_by_byte() {
        CopyText rows = new CopyText("t (a)", 1);
        rows.utf8("{\"n\":\"Luleå\\t\"}\tx".getBytes(java.nio.charset.StandardCharsets.UTF_8)).endRow();
        assertEquals("{\"n\":\"Luleå\\\\t\"}\\tx\n", rows.text());
    }
}
