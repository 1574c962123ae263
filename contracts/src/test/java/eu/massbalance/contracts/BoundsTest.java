package eu.massbalance.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.json.JsonProblems;
import eu.massbalance.contracts.json.LedgerJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the gate admits: given a value, then exactly these problems (or none). */
class BoundsTest {

    static List<FieldProblem> amount(String text) {
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.amount("amount", new BigDecimal(text), problems);
        return problems;
    }

    @Test
    void amounts_within_twelve_integer_digits_and_nine_decimals_fit_whatever_their_notation() {
        for (String fits : List.of("1", "38.000", "999999999999.999999999", "1e11", "1.5E+3", "0.000000001", "1.0000000000000",
                "-5", "0")) {
            assertTrue(amount(fits).isEmpty(), fits);
        }
    }

    @Test
    void amounts_beyond_them_are_out_of_range_and_decided_without_expanding_the_number() {
        for (String beyond : List.of("1000000000000", "1234567890123456789012345678901234567890", "1e1000000", "1e-1000000",
                "1e999999999", "0.0000000001", "1e-10000000")) {
            List<FieldProblem> problems = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> amount(beyond), beyond);
            assertEquals(List.of("AMOUNT_OUT_OF_RANGE"), problems.stream().map(FieldProblem::code).toList(), beyond);
        }
    }

    @Test
    void texts_are_printable_unicode_of_bounded_length() {
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.identifier("id", "ERP-4711 Gävle 💥", problems);
        Bounds.text("reason", "line one\nline two\twith a tab", problems);
        assertTrue(problems.isEmpty(), problems.toString());
        for (String bad : List.of("a\u0000b", "\ud800", "x\udc00", "\u0001", "\uffff", "\ufdd0", "tab\there")) {
            List<FieldProblem> found = new ArrayList<>();
            Bounds.identifier("id", bad, found);
            assertEquals(List.of("NOT_PRINTABLE"), found.stream().map(FieldProblem::code).toList(), bad);
            assertFalse(found.get(0).message().contains(bad), "the message does not repeat the value");
        }
        List<FieldProblem> tooLong = new ArrayList<>();
        Bounds.identifier("id", "x".repeat(Bounds.IDENTIFIER_LENGTH + 1), tooLong);
        assertEquals("TOO_LONG", tooLong.get(0).code());
    }

    @Test
    void site_ids_are_letters_digits_dot_underscore_and_dash_starting_with_a_letter_or_digit() {
        for (String id : List.of("a", "gavle-depot", "A.1_b-2", "9", "x".repeat(100))) {
            assertTrue(Bounds.isSiteId(id), id);
        }
        for (String id : List.of("", "-a", ".a", "a b", "a/b", "å", "a\u0000", "x".repeat(101), "~unroutable")) {
            assertFalse(Bounds.isSiteId(id), id);
        }
        assertFalse(Bounds.isSiteId(null));
    }

    @Test
    void dates_lie_between_1900_and_2999_in_their_own_offset() {
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.dateTime("occurredAt", OffsetDateTime.parse("2025-03-05T07:40:00+01:00"), problems);
        Bounds.date("validFrom", LocalDate.of(1900, 1, 1), problems);
        assertTrue(problems.isEmpty());
        Bounds.dateTime("occurredAt", OffsetDateTime.MIN, problems);
        Bounds.dateTime("occurredAt", OffsetDateTime.parse("0000-01-05T10:00:00Z"), problems);
        Bounds.date("validTo", LocalDate.of(3000, 1, 1), problems);
        assertEquals(List.of("DATE_OUT_OF_RANGE", "DATE_OUT_OF_RANGE", "DATE_OUT_OF_RANGE"),
                problems.stream().map(FieldProblem::code).toList());
    }

    @Test
    void the_parser_refuses_deep_long_and_absurd_documents_with_a_problem_that_names_no_java_type() {
        for (String json : List.of("[".repeat(1000), "{\"quantity\": {\"amount\": " + "9".repeat(100) + "}}",
                "{\"quantity\": {\"amount\": \"" + "9".repeat(100) + "\"}}", "{\"direction\": \"SIDEWAYS\"}",
                "{\"occurredAt\": \"yesterday\"}", "{\"sustainable\": [{\"characteristics\": {\"profile\": \"p\", \"n\": 1e999999999}}]}",
                "{\"sustainable\": [{\"characteristics\": {\"profile\": \"p\", \"m\": {\"amount\": \"x\", \"unit\": \"u\"}}}]}")) {
            try {
                LedgerJson.mapper().readValue(json, ErpDelivery.class);
                throw new AssertionError("read: " + json.substring(0, Math.min(60, json.length())));
            } catch (JsonProcessingException e) {
                FieldProblem problem = JsonProblems.of(e);
                assertFalse(problem.message().contains("java.") || problem.message().contains("eu.massbalance")
                        || problem.message().contains("StreamReadConstraints"), problem.message());
            }
        }
    }

    @Test
    void a_text_field_takes_a_json_string_only_and_an_enum_its_name_only() {
        for (String json : List.of("{\"deliveryId\": 1E+400}", "{\"deliveryId\": 42}", "{\"deliveryId\": true}",
                "{\"customerId\": 7.5}", "{\"direction\": 0}")) {
            try {
                LedgerJson.mapper().readValue(json, ErpDelivery.class);
                throw new AssertionError("read: " + json);
            } catch (JsonProcessingException e) {
                FieldProblem problem = JsonProblems.of(e);
                assertEquals("TYPE_MISMATCH", problem.code(), json);
                assertFalse(problem.field().isEmpty(), json + " names its field");
            }
        }
        assertEquals("D-1", LedgerJson.read("{\"deliveryId\": \"D-1\"}", ErpDelivery.class).deliveryId());
    }
}
