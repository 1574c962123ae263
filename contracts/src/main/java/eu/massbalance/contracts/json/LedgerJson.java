package eu.massbalance.contracts.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.EventTypes;
import eu.massbalance.contracts.event.LedgerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of the contracts: decimals as strings (numbers accepted on input), units by
 * symbol, dates ISO-8601, unknown fields ignored so that newer producers do not break older
 * consumers. The bytes {@link #canonical(LedgerEvent)} writes are the ones the hash chain signs.
 */
public final class LedgerJson {

    /**
     * What the parser reads at all, before any value is built: shallow documents of bounded size,
     * numbers no longer than a decimal of ours can be ({@link Bounds#DECIMAL_TEXT_LENGTH}).
     */
    public static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(32)
            .maxNumberLength(Bounds.DECIMAL_TEXT_LENGTH)
            .maxStringLength(2_000_000)
            .maxNameLength(1_000)
            .maxDocumentLength(16L * 1024 * 1024)
            .build();

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private LedgerJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies the contract's JSON conventions to a mapper, for instance the one a framework provides. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("massbalance-contracts");
        module.addSerializer(BigDecimal.class, new PlainDecimalSerializer());
        module.addDeserializer(BigDecimal.class, new DecimalDeserializer());
        module.addDeserializer(java.time.OffsetDateTime.class, new OffsetDateTimes());
        module.addSerializer(Unit.class, new ToStringSerializer(Unit.class));
        module.addDeserializer(Unit.class, new UnitDeserializer());
        module.addSerializer(Characteristics.class, new CharacteristicsSerializer());
        module.addDeserializer(Characteristics.class, new CharacteristicsDeserializer());
        module.setMixInAnnotation(LedgerEvent.class, LedgerEventMixin.class);
        EventTypes.byName().forEach((name, type) -> module.registerSubtypes(new NamedType(type, name)));
        mapper.getFactory().setStreamReadConstraints(READ_CONSTRAINTS);
        // a text field takes a JSON string only: 1E+400 is not the id "1E+400", nor true the id "true"
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper
                .registerModule(new JavaTimeModule())
                .registerModule(module)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                // one JSON value is the whole text: "{...} and more" is not JSON, and nothing after the value is kept unread
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS);
    }

    public static byte[] canonical(LedgerEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LedgerEvent readEvent(String json) {
        return read(json, LedgerEvent.class);
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LedgerEvent readEvent(byte[] json) {
        try {
            return MAPPER.readValue(json, LedgerEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "eventType")
    abstract static class LedgerEventMixin {
        @JsonIgnore
        abstract String eventType();
    }

    static final class PlainDecimalSerializer extends JsonSerializer<BigDecimal> {
        @Override
        public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toPlainString());
        }
    }

    /** Decimals from strings or numbers, parsed by BigDecimal itself (it rejects what is not a number). */
    static final class DecimalDeserializer extends JsonDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return switch (parser.currentToken()) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
                case VALUE_STRING -> {
                    String text = parser.getText().trim();
                    if (text.isEmpty()) {
                        yield null;
                    }
                    if (text.length() > Bounds.DECIMAL_TEXT_LENGTH) {
                        throw context.weirdStringException(text.substring(0, 20) + "…", BigDecimal.class,
                                "a decimal number has at most " + Bounds.DECIMAL_TEXT_LENGTH + " characters");
                    }
                    try {
                        yield new BigDecimal(text);
                    } catch (NumberFormatException e) {
                        throw context.weirdStringException(text, BigDecimal.class, "not a decimal number");
                    }
                }
                default -> (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser);
            };
        }
    }

    static final class UnitDeserializer extends JsonDeserializer<Unit> {
        @Override
        public Unit deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String symbol = parser.getValueAsString();
            return Unit.fromSymbol(symbol).orElseThrow(() -> context.weirdStringException(symbol, Unit.class,
                    "unknown unit; known: m3, l, t, kg, MJ, GJ, kWh, MWh, Nm3"));
        }
    }

    static final class CharacteristicsSerializer extends JsonSerializer<Characteristics> {
        @Override
        public void serialize(Characteristics value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("profile", value.profile());
            for (Map.Entry<String, Object> field : value.fields().entrySet()) {
                gen.writeFieldName(field.getKey());
                writeValue(field.getValue(), gen);
            }
            gen.writeEndObject();
        }

        private static void writeValue(Object value, JsonGenerator gen) throws IOException {
            if (value instanceof Measure m) {
                gen.writeStartObject();
                gen.writeStringField("amount", m.amount().toPlainString());
                gen.writeStringField("unit", m.unit());
                gen.writeEndObject();
            } else if (value instanceof Boolean b) {
                gen.writeBoolean(b);
            } else if (value instanceof List<?> list) {
                gen.writeStartArray();
                for (Object item : list) {
                    writeValue(item, gen);
                }
                gen.writeEndArray();
            } else {
                gen.writeString(String.valueOf(value));
            }
        }
    }

    static final class CharacteristicsDeserializer extends JsonDeserializer<Characteristics> {
        @Override
        public Characteristics deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(parser);
            if (!node.isObject()) {
                return (Characteristics) context.handleUnexpectedToken(Characteristics.class, parser);
            }
            String profile = node.path("profile").asText("");
            TreeMap<String, Object> fields = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            try {
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!field.getKey().equals("profile")) {
                        Object value = toValue(field.getValue());
                        if (value != null) {
                            fields.put(field.getKey(), value);
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage());
            }
            try {
                return new Characteristics(profile, fields);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage());
            }
        }

        private static Object toValue(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isTextual()) {
                return node.textValue();
            }
            if (node.isArray()) {
                List<Object> items = new ArrayList<>();
                node.forEach(item -> {
                    Object value = toValue(item);
                    if (value != null) {
                        items.add(value);
                    }
                });
                return items;
            }
            if (node.has("amount") && node.has("unit")) {
                String amount = node.get("amount").asText();
                if (amount.length() > Bounds.DECIMAL_TEXT_LENGTH) {
                    throw new IllegalArgumentException("A measure's amount has at most " + Bounds.DECIMAL_TEXT_LENGTH + " characters");
                }
                try {
                    return new Measure(new BigDecimal(amount.trim()), node.get("unit").asText());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("A measure's amount is a decimal number, was '" + amount + "'");
                }
            }
            return node.toString();
        }
    }
}
