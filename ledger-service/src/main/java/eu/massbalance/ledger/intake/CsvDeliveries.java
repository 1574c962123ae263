package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.erp.ErpDelivery;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Historical deliveries from a CSV file (RFC 4180, UTF-8, comma, a header row), read as a stream
 * of deliveries, each with the line numbers it came from. Columns, in any order:
 * {@code deliveryId, direction, occurredAt, product, quantity, unit} (required), {@code supplierId,
 * transportDocument, customerId, useArea, taxLiability, batchId, sustainableAmount} (optional), and
 * one column per characteristic, {@code c:<name>} ({@code c:profile} names the profile; a measure
 * is written {@code 12.5 gCO2e/MJ}, a flag {@code true}/{@code false}). Consecutive rows with the
 * same deliveryId are one delivery with several batch lines. A row that cannot be read becomes a
 * problem with its line number, never the end of the file.
 */
public final class CsvDeliveries {

    /** A delivery read from the file, or the problems of the rows it would have come from. */
    public record Read(int firstLine, int lastLine, String deliveryId, ErpDelivery delivery, List<FieldProblem> problems) {
    }

    static final Set<String> REQUIRED = Set.of("deliveryId", "direction", "occurredAt", "product", "quantity", "unit");
    static final Set<String> KNOWN = Set.of("deliveryId", "direction", "occurredAt", "product", "quantity", "unit", "supplierId",
            "transportDocument", "customerId", "useArea", "taxLiability", "batchId", "sustainableAmount");
    /** Longer records than this are not a delivery: the line is reported, the rest of the file goes on. */
    static final int MAX_RECORD_CHARS = 64 * 1024;

    private final BufferedReader in;
    private final Map<String, Integer> columns = new LinkedHashMap<>();
    private int line;
    private List<String> pending;
    private int pendingLine;

    /** Reads the header; a file without the required columns is refused as a whole. */
    public CsvDeliveries(BufferedReader in) throws IOException {
        this.in = in;
        List<String> header = record();
        if (header == null) {
            throw new IllegalArgumentException("The file is empty: a header row is required");
        }
        for (int i = 0; i < header.size(); i++) {
            String name = i == 0 && header.get(i).startsWith("\ufeff") ? header.get(i).substring(1) : header.get(i);
            name = name.trim();
            if (!KNOWN.contains(name) && !name.startsWith("c:")) {
                throw new IllegalArgumentException("Unknown column '" + name + "'; the columns are " + KNOWN + " and c:<characteristic>");
            }
            columns.put(name, i);
        }
        List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The header lacks the columns " + missing);
        }
        pendingLine = line + 1;
        pending = record();
    }

    /** The next delivery, or null at the end of the file. */
    public Read next() throws IOException {
        if (pending == null) {
            return null;
        }
        int first = pendingLine;
        List<List<String>> rows = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        String id = value(pending, "deliveryId");
        int last = first;
        do {
            if (pending.size() != columns.size() && !(pending.size() == 1 && pending.get(0).isEmpty())) {
                problems.add(new FieldProblem("line " + pendingLine, "COLUMN_COUNT", "The row has " + pending.size()
                        + " fields, the header " + columns.size()));
            }
            rows.add(pending);
            last = pendingLine;
            pendingLine = line + 1;
            pending = record();
        } while (pending != null && id != null && !id.isEmpty() && id.equals(value(pending, "deliveryId")));
        if (rows.size() == 1 && rows.get(0).size() == 1 && rows.get(0).get(0).isEmpty()) {
            return next(); // an empty line
        }
        if (!problems.isEmpty()) {
            return new Read(first, last, id, null, problems);
        }
        return delivery(first, last, id, rows);
    }

    private Read delivery(int first, int last, String id, List<List<String>> rows) {
        List<FieldProblem> problems = new ArrayList<>();
        List<String> head = rows.get(0);
        ErpDelivery.Direction direction = null;
        String directionText = value(head, "direction");
        try {
            direction = directionText == null ? null : ErpDelivery.Direction.valueOf(directionText);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("direction", "VALUE_NOT_ALLOWED", "direction must be INBOUND or OUTBOUND, was " + directionText));
        }
        OffsetDateTime occurredAt = null;
        String occurred = value(head, "occurredAt");
        try {
            occurredAt = occurred == null ? null : OffsetDateTime.parse(occurred);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem("occurredAt", "TYPE_MISMATCH", "occurredAt must be an ISO-8601 date-time with offset, was "
                    + abbreviate(occurred)));
        }
        BigDecimal quantity = decimal(head, "quantity", problems);
        Boolean taxLiability = null;
        String tax = value(head, "taxLiability");
        if (tax != null) {
            if (!tax.equals("true") && !tax.equals("false")) {
                problems.add(new FieldProblem("taxLiability", "TYPE_MISMATCH", "taxLiability must be true or false"));
            } else {
                taxLiability = Boolean.valueOf(tax);
            }
        }
        List<ErpDelivery.Line> lines = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            String batchId = value(row, "batchId");
            BigDecimal amount = decimal(row, "sustainableAmount", problems);
            Characteristics characteristics = characteristics(row, problems);
            if (batchId != null || amount != null || characteristics != null) {
                lines.add(new ErpDelivery.Line(batchId, amount, characteristics));
            }
        }
        if (!problems.isEmpty()) {
            return new Read(first, last, id, null, problems);
        }
        ErpDelivery delivery = new ErpDelivery(null, id, direction, occurredAt, value(head, "product"),
                quantity == null && value(head, "unit") == null ? null : new ErpDelivery.QuantityInput(quantity, value(head, "unit")),
                value(head, "supplierId"), value(head, "transportDocument"), value(head, "customerId"), value(head, "useArea"),
                taxLiability, lines, null, null);
        return new Read(first, last, id, delivery, List.of());
    }

    private Characteristics characteristics(List<String> row, List<FieldProblem> problems) {
        Map<String, Object> fields = new TreeMap<>();
        String profile = null;
        for (Map.Entry<String, Integer> column : columns.entrySet()) {
            if (!column.getKey().startsWith("c:")) {
                continue;
            }
            String name = column.getKey().substring(2);
            String text = value(row, column.getKey());
            if (text == null) {
                continue;
            }
            if (name.equals("profile")) {
                profile = text;
            } else if (text.equals("true") || text.equals("false")) {
                fields.put(name, Boolean.valueOf(text));
            } else if (text.matches("-?\\d+(\\.\\d+)? +\\S+")) {
                String[] parts = text.split(" +", 2);
                fields.put(name, Measure.of(parts[0], parts[1]));
            } else {
                fields.put(name, text);
            }
        }
        if (fields.isEmpty() && profile == null) {
            return null;
        }
        if (profile == null) {
            problems.add(new FieldProblem("c:profile", "REQUIRED", "A row with characteristics names their profile (c:profile)"));
            return null;
        }
        return Characteristics.of(profile, fields);
    }

    private BigDecimal decimal(List<String> row, String column, List<FieldProblem> problems) {
        String text = value(row, column);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(column, "TYPE_MISMATCH", column + " must be a decimal number, was " + abbreviate(text)));
            return null;
        }
    }

    private String value(List<String> row, String column) {
        Integer index = columns.get(column);
        if (index == null || index >= row.size()) {
            return null;
        }
        String value = row.get(index).trim();
        return value.isEmpty() ? null : value;
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** One CSV record, which may span lines inside quotes; null at the end of the input. */
    private List<String> record() throws IOException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        line++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int chars = 0;
        while (true) {
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"' && field.length() == 0) {
                    quoted = true;
                } else if (ch == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(ch);
                }
            }
            chars += text.length();
            if (!quoted || chars > MAX_RECORD_CHARS) {
                break;
            }
            String more = in.readLine();
            if (more == null) {
                break;
            }
            line++;
            field.append('\n');
            text = more;
        }
        fields.add(field.toString());
        return fields;
    }

    /** The number of the line last read (1 is the header). */
    public int line() {
        return line;
    }
}
