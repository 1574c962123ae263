package eu.massbalance.contracts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * What every part behind the gate can hold: the read models' decimals, PostgreSQL's dates and
 * text, Kafka's record size. Ledger-service checks every value it admits against these bounds,
 * and the projection's engine checks every event it reads against the same ones, so an event
 * that got onto a site's log some other way is set aside instead of stopping the projection.
 * Each check adds a {@link FieldProblem} with a stable code and touches no arithmetic beyond
 * reading a decimal's precision and scale.
 */
public final class Bounds {

    /** Amounts are below 10^12 in any unit: far beyond any real delivery, and sums of them fit the read models. */
    public static final int AMOUNT_INTEGER_DIGITS = 12;
    /** The read models keep 9 decimals. */
    public static final int AMOUNT_SCALE = 9;
    /** A decimal written as text: more characters than this is no amount of ours. */
    public static final int DECIMAL_TEXT_LENGTH = 64;
    public static final int IDENTIFIER_LENGTH = 200;
    public static final int NAME_LENGTH = 200;
    public static final int TEXT_LENGTH = 4000;
    public static final int LIST_SIZE = 1000;
    public static final int CHARACTERISTICS_FIELDS = 64;
    /** A serialized event stays well below Kafka's default record limit of 1 MiB. */
    public static final int EVENT_BYTES = 512 * 1024;
    public static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);
    public static final LocalDate LATEST_DATE = LocalDate.of(2999, 12, 31);

    private Bounds() {
    }

    /** A positive or zero amount within the read models' precision; exponent forms only if they stay within it. */
    public static void amount(String field, BigDecimal value, List<FieldProblem> problems) {
        if (value != null && !amountFits(value)) {
            problems.add(new FieldProblem(field, "AMOUNT_OUT_OF_RANGE", field + " must be below 10^" + AMOUNT_INTEGER_DIGITS
                    + " with at most " + AMOUNT_SCALE + " decimals"));
        }
    }

    /** Whether the amount has at most 12 integer digits and 9 significant decimals, decided without arithmetic on it. */
    public static boolean amountFits(BigDecimal value) {
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > AMOUNT_INTEGER_DIGITS) {
            return false;
        }
        if (value.scale() <= AMOUNT_SCALE) {
            return true;
        }
        // more decimals than we keep: fine only if they are trailing zeros; the precision is small here,
        // since there are at most 12 integer digits and a bounded text was parsed
        return value.precision() <= 1000 && value.stripTrailingZeros().scale() <= AMOUNT_SCALE;
    }

    /** An identifier: required, at most 200 printable characters. */
    public static void identifier(String field, String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new FieldProblem(field, "REQUIRED", field + " is required"));
        } else {
            printable(field, value, IDENTIFIER_LENGTH, false, problems);
        }
    }

    /** An optional identifier: if present, at most 200 printable characters. */
    public static void optionalIdentifier(String field, String value, List<FieldProblem> problems) {
        if (value != null) {
            printable(field, value, IDENTIFIER_LENGTH, false, problems);
        }
    }

    /** A site id: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100. */
    public static void siteId(String field, String value, List<FieldProblem> problems) {
        if (!isSiteId(value)) {
            problems.add(new FieldProblem(field, "FORMAT", field + ": letters, digits, '.', '_' and '-', at most 100"));
        }
    }

    /** The same as matching {@code [A-Za-z0-9][A-Za-z0-9._-]{0,99}}, without a regex: it runs for every event. */
    public static boolean isSiteId(String value) {
        if (value == null || value.isEmpty() || value.length() > 100) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** A path parameter of the API: a site id by its format, anything else as an identifier. */
    public static void pathParameter(String name, String value, List<FieldProblem> problems) {
        if ("siteId".equals(name)) {
            siteId(name, value, problems);
        } else {
            identifier(name, value, problems);
        }
    }

    /** A name or short text on one line. */
    public static void name(String field, String value, List<FieldProblem> problems) {
        if (value != null) {
            printable(field, value, NAME_LENGTH, false, problems);
        }
    }

    /** A free text such as a reason or an action plan: line breaks and tabs allowed. */
    public static void text(String field, String value, List<FieldProblem> problems) {
        if (value != null) {
            printable(field, value, TEXT_LENGTH, true, problems);
        }
    }

    /**
     * At most {@code max} characters, none of them a control character (tabs and line breaks only
     * where {@code multiline}), an unpaired surrogate or a Unicode non-character.
     */
    public static void printable(String field, String value, int max, boolean multiline, List<FieldProblem> problems) {
        if (value.length() > max) {
            problems.add(new FieldProblem(field, "TOO_LONG", field + " is at most " + max + " characters"));
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                continue; // printable ASCII, nearly every character
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                if ((codePoint & 0xFFFE) == 0xFFFE) {
                    problems.add(notPrintable(field, i - 1));
                    return;
                }
                continue;
            }
            boolean allowedControl = multiline && (c == '\n' || c == '\r' || c == '\t');
            if ((Character.isISOControl(c) && !allowedControl) || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF'
                    || (c >= '\uFDD0' && c <= '\uFDEF')) {
                problems.add(notPrintable(field, i));
                return;
            }
        }
    }

    private static FieldProblem notPrintable(String field, int index) {
        return new FieldProblem(field, "NOT_PRINTABLE", field + " holds a control character, an unpaired surrogate or a"
                + " non-character at position " + index + "; only printable Unicode text is accepted");
    }

    public static void date(String field, LocalDate value, List<FieldProblem> problems) {
        if (value != null && (value.isBefore(EARLIEST_DATE) || value.isAfter(LATEST_DATE))) {
            problems.add(dateOutOfRange(field));
        }
    }

    public static void yearMonth(String field, YearMonth value, List<FieldProblem> problems) {
        if (value != null) {
            date(field, value.atDay(1), problems);
        }
    }

    /** A point in time whose date, in its own offset and in UTC, lies within the range. */
    public static void dateTime(String field, OffsetDateTime value, List<FieldProblem> problems) {
        if (value != null) {
            LocalDate local = value.toLocalDate();
            if (local.isBefore(EARLIEST_DATE.plusDays(1)) || local.isAfter(LATEST_DATE.minusDays(1))) {
                problems.add(dateOutOfRange(field));
            }
        }
    }

    private static FieldProblem dateOutOfRange(String field) {
        return new FieldProblem(field, "DATE_OUT_OF_RANGE", field + " must lie between " + EARLIEST_DATE + " and " + LATEST_DATE);
    }

    public static void listSize(String field, List<?> value, int max, List<FieldProblem> problems) {
        if (value != null && value.size() > max) {
            problems.add(new FieldProblem(field, "TOO_MANY", field + " lists at most " + max + " items"));
        }
    }

    /** A measure such as a density or GHG emissions: a bounded amount and a short unit. */
    public static void measure(String field, Measure value, List<FieldProblem> problems) {
        if (value != null) {
            amount(field + ".amount", value.amount(), problems);
            printable(field + ".unit", value.unit(), 40, false, problems);
        }
    }

    /** Characteristics: a bounded number of named fields, each a bounded text, flag, measure or list of them. */
    public static void characteristics(String field, Characteristics value, List<FieldProblem> problems) {
        if (value == null) {
            return;
        }
        printable(field + ".profile", value.profile(), 100, false, problems);
        if (value.fields().size() > CHARACTERISTICS_FIELDS) {
            problems.add(new FieldProblem(field, "TOO_MANY", field + " has at most " + CHARACTERISTICS_FIELDS + " fields"));
            return;
        }
        for (Map.Entry<String, Object> e : value.fields().entrySet()) {
            printable(field + ".<name>", e.getKey(), 100, false, problems);
            characteristic(field + "." + e.getKey(), e.getValue(), problems);
        }
    }

    private static void characteristic(String field, Object value, List<FieldProblem> problems) {
        if (value instanceof String s) {
            printable(field, s, 1000, false, problems);
        } else if (value instanceof Measure m) {
            measure(field, m, problems);
        } else if (value instanceof List<?> list) {
            if (list.size() > 100) {
                problems.add(new FieldProblem(field, "TOO_MANY", field + " lists at most 100 items"));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                characteristic(field + "[" + i + "]", list.get(i), problems);
            }
        }
    }
}
