package eu.massbalance.contracts.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A JSON document that could not be read, as one field problem a client can act on: where, and
 * what was expected, in the words of the contract rather than of the parser (no Java types).
 */
public final class JsonProblems {

    private JsonProblems() {
    }

    public static FieldProblem of(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? path(m) : "";
        if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
            String message = e instanceof StreamConstraintsException ? e.getOriginalMessage() : e.getCause().getMessage();
            return new FieldProblem(field, "JSON_LIMIT_EXCEEDED", withoutCodeReferences(message));
        }
        if (!(e instanceof JsonMappingException)) {
            return new FieldProblem(field, "JSON_MALFORMED", "Not well-formed JSON" + at(e.getLocation()) + ": "
                    + withoutCodeReferences(e.getOriginalMessage()));
        }
        Class<?> target = e instanceof MismatchedInputException mismatched ? mismatched.getTargetType() : null;
        if (e instanceof InvalidFormatException invalid && invalid.getValue() != null) {
            return new FieldProblem(field, "TYPE_MISMATCH", quote(invalid.getValue()) + " is not " + expected(target));
        }
        if (target != null) {
            return new FieldProblem(field, "TYPE_MISMATCH", (field.isEmpty() ? "the body" : field) + " must be " + expected(target));
        }
        String cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getOriginalMessage();
        return new FieldProblem(field, "TYPE_MISMATCH", "The value cannot be read: " + withoutCodeReferences(cause));
    }

    private static String path(JsonMappingException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
    }

    static String expected(Class<?> type) {
        if (type == null) {
            return "of the expected type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList();
        }
        if (type == BigDecimal.class) {
            return "a decimal number (as a string or a number)";
        }
        if (type == String.class) {
            return "a text";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == OffsetDateTime.class) {
            return "an ISO-8601 date-time with offset, e.g. 2025-03-05T07:40:00+01:00";
        }
        if (type == LocalDate.class) {
            return "a date, YYYY-MM-DD";
        }
        if (type == YearMonth.class) {
            return "a month, YYYY-MM";
        }
        if (type == Measure.class || type == Quantity.class) {
            return "an object {amount, unit}";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    /** Parser messages name the Java types and methods involved: keep what the client can use. */
    static String withoutCodeReferences(String message) {
        if (message == null) {
            return "";
        }
        String text = message.replaceAll(", from `[^`]*`", "")
                .replaceAll("`[a-z][\\w$]*(\\.[\\w$]+)+`", "value")
                .replaceAll("\\b(java|javax|jakarta|com|org|eu|io)\\.[\\w$.]+", "value");
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
