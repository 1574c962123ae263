package eu.massbalance.contracts.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.event.EventTypes;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.output.DeviationNotice;
import eu.massbalance.contracts.output.PeriodResultNotice;
import eu.massbalance.contracts.output.RejectedRecord;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Derives the JSON Schema (draft 2020-12) of every message type from its record, so the schema
 * files under {@code src/main/resources/schemas} cannot drift from the code: a test compares them.
 */
final class Schemas {

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Fields a message must have; everything else may be null or absent (add fields freely, rename none). */
    static final Map<Class<?>, Set<String>> REQUIRED = Map.ofEntries(
            Map.entry(ErpDelivery.class, Set.of("deliveryId", "direction", "occurredAt", "product", "quantity")),
            Map.entry(RejectedRecord.class, Set.of("sourceTopic", "sourcePartition", "sourceOffset", "reason", "problems")),
            Map.entry(DeviationNotice.class, Set.of("deviationId", "siteId", "periodId", "rule", "deviationClass", "status")),
            Map.entry(PeriodResultNotice.class, Set.of("siteId", "periodId", "products")));

    /** File name (under schemas/) → schema, for every message type. */
    static Map<String, ObjectNode> all() {
        Map<String, ObjectNode> schemas = new TreeMap<>();
        EventTypes.byName().forEach((name, type) -> schemas.put("ledger/" + name + ".v1.json", event(name, type)));
        schemas.put("erp/ErpDelivery.v1.json", message(ErpDelivery.class, "A delivery as an ERP system sends it"));
        schemas.put("output/RejectedRecord.v1.json", message(RejectedRecord.class, "An ERP record that was not accepted"));
        schemas.put("output/DeviationNotice.v1.json", message(DeviationNotice.class, "A deviation raised or changed"));
        schemas.put("output/PeriodResultNotice.v1.json", message(PeriodResultNotice.class, "A closed period's balance"));
        schemas.put("output/TransferDispatched.v1.json", message(eu.massbalance.contracts.output.TransferDispatched.class,
                "A transfer booked at its source, for the destination's log"));
        schemas.put("output/RefusalNotice.v1.json", message(eu.massbalance.contracts.output.RefusalNotice.class,
                "Something the engine did not accept after the ledger accepted it"));
        return schemas;
    }

    static ObjectNode event(String name, Class<? extends LedgerEvent> type) {
        ObjectNode schema = root(EventTypes.typeOf(type), "Ledger event " + name + " (CloudEvents type " + EventTypes.typeOf(type) + ")");
        ObjectNode object = object(type, Set.of("siteId"));
        ((ObjectNode) object.get("properties")).set("eventType", F.objectNode().put("const", name));
        ((ArrayNode) object.get("required")).add("eventType");
        schema.setAll(object);
        return schema;
    }

    static ObjectNode message(Class<?> type, String title) {
        ObjectNode schema = root(type.getSimpleName() + ".v1", title);
        schema.setAll(object(type, REQUIRED.getOrDefault(type, Set.of())));
        return schema;
    }

    static ObjectNode root(String id, String title) {
        ObjectNode schema = F.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", "https://massbalance.eu/schemas/" + id);
        schema.put("title", title);
        return schema;
    }

    static ObjectNode object(Class<?> record, Set<String> required) {
        ObjectNode object = F.objectNode().put("type", "object");
        ObjectNode properties = object.putObject("properties");
        ArrayNode requiredNode = object.putArray("required");
        for (RecordComponent c : record.getRecordComponents()) {
            boolean mandatory = required.contains(c.getName());
            properties.set(c.getName(), mandatory ? of(c.getGenericType()) : nullable(of(c.getGenericType())));
            if (mandatory) {
                requiredNode.add(c.getName());
            }
        }
        return object;
    }

    static ObjectNode nullable(ObjectNode schema) {
        ObjectNode any = F.objectNode();
        any.putArray("anyOf").add(schema).add(F.objectNode().put("type", "null"));
        return any;
    }

    static ObjectNode of(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            ObjectNode array = F.objectNode().put("type", "array");
            array.set("items", of(p.getActualTypeArguments()[0]));
            return array;
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return F.objectNode().put("type", "string");
        }
        if (c == BigDecimal.class) {
            ObjectNode decimal = F.objectNode();
            decimal.putArray("type").add("string").add("number");
            decimal.put("pattern", "^-?[0-9]+(\\.[0-9]+)?$");
            decimal.put("description", "a decimal; written as a string, a number is accepted");
            return decimal;
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return F.objectNode().put("type", "integer");
        }
        if (c == boolean.class || c == Boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (c == OffsetDateTime.class) {
            return F.objectNode().put("type", "string").put("format", "date-time");
        }
        if (c == LocalDate.class) {
            return F.objectNode().put("type", "string").put("format", "date");
        }
        if (c == YearMonth.class) {
            return F.objectNode().put("type", "string").put("pattern", "^[0-9]{4}-(0[1-9]|1[0-2])$");
        }
        if (c == Unit.class) {
            ObjectNode unit = F.objectNode().put("type", "string");
            ArrayNode values = unit.putArray("enum");
            Arrays.stream(Unit.values()).forEach(u -> values.add(u.symbol()));
            return unit;
        }
        if (c.isEnum()) {
            ObjectNode e = F.objectNode().put("type", "string");
            ArrayNode values = e.putArray("enum");
            Arrays.stream(c.getEnumConstants()).forEach(v -> values.add(v.toString()));
            return e;
        }
        if (c == Characteristics.class) {
            ObjectNode ch = F.objectNode().put("type", "object")
                    .put("description", "Sustainability characteristics: a material profile and its fields (R-02);"
                            + " each profile's own rules are checked by the ledger");
            ch.putObject("properties").putObject("profile").put("type", "string");
            ch.putArray("required").add("profile");
            return ch;
        }
        if (c == Measure.class) {
            return object(Measure.class, Set.of("amount", "unit"));
        }
        if (c == Quantity.class) {
            return object(Quantity.class, Set.of("amount", "unit"));
        }
        if (c == FieldProblem.class) {
            return object(FieldProblem.class, Set.of("field", "code", "message"));
        }
        if (c.isRecord()) {
            return object(c, Set.of());
        }
        throw new IllegalArgumentException("No schema for " + c);
    }

    private Schemas() {
    }
}
