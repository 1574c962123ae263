package eu.massbalance.contracts.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetDateTimesTest {

    @Test
    void the_common_form_reads_as_the_iso_formatter_reads_it() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            OffsetDateTime t = OffsetDateTime.of(1900 + random.nextInt(300), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(4) == 0 ? random.nextInt(1_000_000_000) : 0,
                    ZoneOffset.ofTotalSeconds((random.nextInt(35) - 17) * 3600 + (random.nextBoolean() ? 0 : 1800)));
            String text = t.toString();
            assertEquals(OffsetDateTime.parse(text), OffsetDateTimes.parse(text), text);
        }
        for (String text : List.of("2025-03-05T07:40:00+01:00", "2025-03-05T07:40+01:00", "2025-01-03T10:00:00Z",
                "2025-01-03T10:00:00.5-05:30", "2024-02-29T23:59:59.123456789+14:00")) {
            assertEquals(OffsetDateTime.parse(text), OffsetDateTimes.parse(text), text);
        }
    }

    @Test
    void anything_else_is_left_to_the_standard_deserializer() {
        for (String text : List.of("2025-02-30T10:00:00+01:00", "2025-03-05 07:40:00+01:00", "2025-03-05T07:40:00",
                "2025-03-05T07:40:00+0100", "2025-03-05T25:00:00Z", "2025-03-05T07:40:00+18:30", "2025-3-5T07:40:00Z", "2025-03-05T07:40:00.Z", "")) {
            assertNull(OffsetDateTimes.parse(text), text);
        }
        // and that one reports what is wrong, as before
        assertThrows(RuntimeException.class, () -> LedgerJson.read("\"2025-02-30T10:00:00+01:00\"", OffsetDateTime.class));
        assertEquals(OffsetDateTime.parse("2025-03-05T07:40:00+01:00"), LedgerJson.read("\"2025-03-05T07:40:00+01:00\"", OffsetDateTime.class));
    }
}
