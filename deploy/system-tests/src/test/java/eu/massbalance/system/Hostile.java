package eu.massbalance.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates hostile inputs from a seeded random source, so that a failing run is repeated with its
 * seed: a valid delivery with one to three of its values replaced by what careless or hostile
 * clients send (amounts beyond any precision, exponents, control characters, lone surrogates,
 * extreme dates, wrong types, deep nesting, huge texts), or a document that is not one at all.
 */
final class Hostile {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final ObjectMapper PLAIN = new ObjectMapper();
    /** Writes every non-ASCII character as an escape, so lone surrogates travel as {@code \ud800}. */
    static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    static final List<String> TEXTS = List.of("", " ", "\u0000", "ERP-\u0000-1", "\ud800", "x\udfffy", "\u0001\u0002", "\u202e",
            "\uffff", "\ufdd0", "%00", "../../etc", "'; DROP TABLE movement; --", "💥", "Å".repeat(201), "a".repeat(300),
            "b".repeat(5_000), "\t\n", "null", "1e1000000");
    static final List<String> DECIMALS = List.of("1234567890123456789012345678901234567890", "1e1000000", "1e-1000000",
            "1e999999999", "-1e999999999", "1e-10000000", "1e10000000", "0.0000000001", "999999999999.999999999", "1000000000000",
            "-1", "0", "-0", "NaN", "Infinity", "0x10", "1_000", "", " 5 ", "9".repeat(70), "1.".repeat(40));
    static final List<String> DATES = List.of("-999999999-01-01T00:00:00+18:00", "+999999999-12-31T23:59:59-18:00",
            "0000-01-05T10:00:00Z", "1899-12-31T23:00:00Z", "3000-01-01T00:00:00Z", "2025-02-30T10:00:00+01:00",
            "2024-12-31T10:00:00+01:00", "2025-03-05T07:40:00+25:00", "2025-03-05", "not a date", "2025-03-05T07:40:00");
    static final List<String> FIELDS = List.of("deliveryId", "direction", "occurredAt", "product", "quantity", "quantity.amount",
            "quantity.unit", "supplierId", "transportDocument", "customerId", "useArea", "taxLiability", "sustainable",
            "sustainable[0]", "sustainable[0].amount", "sustainable[0].batchId", "sustainable[0].characteristics",
            "sustainable[0].characteristics.countryOfOrigin", "sustainable[0].characteristics.ghgEmissions",
            "sustainable[0].characteristics.ghgEmissions.amount", "sustainable[0].characteristics.rawMaterial",
            "sustainable[0].characteristics.profile", "density", "lowerHeatingValue", "siteId", "extra");

    private final Random random;

    Hostile(Random random) {
        this.random = random;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A valid delivery of the test site (an outbound, or an inbound with full characteristics). */
    static ObjectNode valid(String deliveryId, boolean inbound) {
        ObjectNode d = F.objectNode();
        d.put("deliveryId", deliveryId);
        d.put("direction", inbound ? "INBOUND" : "OUTBOUND");
        d.put("occurredAt", "2025-01-15T07:40:00+01:00");
        d.put("product", "HVO");
        d.set("quantity", F.objectNode().put("amount", "2.500").put("unit", "m3"));
        ArrayNode lines = d.putArray("sustainable");
        if (inbound) {
            d.put("supplierId", "supplier-rotterdam");
            d.put("transportDocument", "CMR-" + deliveryId);
            ObjectNode c = F.objectNode();
            c.put("profile", "red-biofuel-v1").put("fuelCategory", "HVO").put("rawMaterial", "Used cooking oil")
                    .put("countryOfOrigin", "NL").put("rawMaterialGroup", "OTHER").put("annexIX", "B").put("residueOrWaste", true)
                    .put("celluloseType", "NONE").put("ghgMethod", "ACTUAL").put("voluntaryScheme", "ISCC EU")
                    .put("installationStart", "2012-05-01").put("proofOfSustainability", "PoS-" + deliveryId);
            c.set("lowerHeatingValue", F.objectNode().put("amount", "34.4").put("unit", "MJ/l"));
            c.set("ghgEmissions", F.objectNode().put("amount", "14.2").put("unit", "gCO2e/MJ"));
            lines.add(F.objectNode().put("batchId", "B-" + deliveryId).put("amount", "2.5").set("characteristics", c));
        } else {
            d.put("customerId", "haulier-12").put("useArea", "TRANSPORT").put("taxLiability", true);
            lines.add(F.objectNode().put("amount", "1"));
        }
        return d;
    }

    /** A hostile value of any kind. */
    JsonNode value() {
        return switch (random.nextInt(9)) {
            case 0, 1 -> F.textNode(pick(TEXTS));
            case 2 -> F.textNode(pick(DECIMALS));
            case 3 -> number();
            case 4 -> F.textNode(pick(DATES));
            case 5 -> pick(List.<JsonNode>of(F.nullNode(), F.booleanNode(true), F.numberNode(0), F.arrayNode(), F.objectNode()));
            case 6 -> nested(random.nextInt(60) + 1);
            case 7 -> bigArray(random.nextBoolean() ? 1_001 : 20);
            default -> F.objectNode().put("amount", pick(DECIMALS)).put("unit", pick(TEXTS));
        };
    }

    private JsonNode number() {
        String text = pick(List.of("1e400", "1e-400", "1e999999999", "12345678901234567890123456789", "-5", "0.1"));
        return F.numberNode(new BigDecimal(text));
    }

    private static JsonNode nested(int depth) {
        JsonNode node = F.textNode("deep");
        for (int i = 0; i < depth; i++) {
            node = F.arrayNode().add(node);
        }
        return node;
    }

    private JsonNode bigArray(int size) {
        ArrayNode array = F.arrayNode();
        for (int i = 0; i < size; i++) {
            array.add(F.objectNode().put("amount", "0.001").put("batchId", "X" + i));
        }
        return array;
    }

    /** The delivery with one to three values replaced; returns it as the bytes a client would send. */
    byte[] mutate(ObjectNode delivery) {
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            set(delivery, pick(FIELDS), value());
        }
        return write(delivery);
    }

    byte[] write(JsonNode node) {
        try {
            return (random.nextBoolean() ? ESCAPING : PLAIN).writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A document that is not a delivery at all. */
    byte[] document(byte[] valid) {
        return switch (random.nextInt(7)) {
            case 0 -> java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            case 1 -> "[".repeat(5_000).getBytes(StandardCharsets.UTF_8);
            case 2 -> pick(List.of("null", "[]", "{}", "\"text\"", "42", "{", "")).getBytes(StandardCharsets.UTF_8);
            case 3 -> {
                byte[] bytes = new byte[random.nextInt(2_000) + 1];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 4 -> ("{\"deliveryId\": \"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 5 -> new String(valid, StandardCharsets.UTF_8).replace("\"2.500\"", "\"2.500\", \"quantity\": 7")
                    .getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] bytes = valid.clone();
                bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80));
                yield bytes;
            }
        };
    }

    /** Sets a value at a simple path such as {@code sustainable[0].characteristics.ghgEmissions.amount}. */
    static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = step(node, parts[i]);
            if (node == null || !node.isObject()) {
                return; // an earlier mutation replaced the container: nothing to set
            }
        }
        String last = parts[parts.length - 1];
        if (last.endsWith("]")) {
            JsonNode array = ((ObjectNode) node).get(last.substring(0, last.indexOf('[')));
            if (array instanceof ArrayNode a && !a.isEmpty()) {
                a.set(0, value);
            }
        } else {
            ((ObjectNode) node).set(last, value);
        }
    }

    private static JsonNode step(JsonNode node, String part) {
        if (part.endsWith("]")) {
            JsonNode array = node.get(part.substring(0, part.indexOf('[')));
            return array instanceof ArrayNode a && !a.isEmpty() ? a.get(0) : null;
        }
        return node.get(part);
    }
}
