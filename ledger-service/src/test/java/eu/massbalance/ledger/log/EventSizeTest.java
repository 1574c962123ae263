package eu.massbalance.ledger.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.OutboundDelivery;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An event fits a record of the site's log by its UTF-8 size, however its text is written. */
class EventSizeTest {

    static final OutboundDelivery EVENT = new OutboundDelivery("site", "D-1", OffsetDateTime.parse("2025-01-05T10:00:00+01:00"), "HVO",
            Quantity.of("1", Unit.M3), null, null, null, List.of(), null, null);

    static List<String> codes(String json) {
        return LedgerAppender.problems(EVENT, json).stream().map(FieldProblem::code).toList();
    }

    @Test
    void counted_in_utf8_bytes_not_in_characters() {
        assertEquals(List.of(), codes("x".repeat(Bounds.EVENT_BYTES)), "ASCII: one byte a character, just fits");
        assertEquals(List.of("EVENT_TOO_LARGE"), codes("x".repeat(Bounds.EVENT_BYTES + 1)));
        // a third as many characters of three bytes each: fits exactly, and one more does not
        assertEquals(List.of(), codes("€".repeat(Bounds.EVENT_BYTES / 3)));
        assertEquals(List.of("EVENT_TOO_LARGE"), codes("€".repeat(Bounds.EVENT_BYTES / 3 + 1)));
        // two bytes each: fewer characters than the limit, more bytes than it
        assertEquals(List.of("EVENT_TOO_LARGE"), codes("é".repeat(Bounds.EVENT_BYTES / 2 + 1)));
        // four bytes for a surrogate pair (two characters)
        assertEquals(List.of("EVENT_TOO_LARGE"), codes("😀".repeat(Bounds.EVENT_BYTES / 4 + 1)));
        assertTrue(LedgerAppender.problems(EVENT, "😀".repeat(Bounds.EVENT_BYTES / 4 + 1)).get(0).message()
                .contains(String.valueOf((Bounds.EVENT_BYTES / 4 + 1) * 4)), "the message gives the size in bytes");
    }
}
