package eu.massbalance.contracts.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.event.EventTypes;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.output.DeviationNotice;
import eu.massbalance.contracts.output.PeriodResultNotice;
import eu.massbalance.contracts.output.RejectedRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract holds: the schema files are the records' schemas; every versioned sample (old
 * versions included, once there are any) parses into its type and validates against its schema;
 * the AsyncAPI document describes every topic and refers only to schemas that exist.
 * {@code -Dcontracts.write=true} rewrites the schema files from the records.
 */
class ContractCompatibilityTest {

    static final ObjectMapper JSON = LedgerJson.mapper();
    static final Path RESOURCES = Path.of("src/main/resources/schemas");
    static final Map<String, Class<?>> MESSAGES = Map.of(
            "ErpDelivery", ErpDelivery.class, "RejectedRecord", RejectedRecord.class,
            "DeviationNotice", DeviationNotice.class, "PeriodResultNotice", PeriodResultNotice.class,
            "RefusalNotice", eu.massbalance.contracts.output.RefusalNotice.class,
            "TransferDispatched", eu.massbalance.contracts.output.TransferDispatched.class);

    @Test
    void the_schema_files_are_the_schemas_of_the_records() throws IOException {
        boolean write = Boolean.getBoolean("contracts.write");
        for (Map.Entry<String, com.fasterxml.jackson.databind.node.ObjectNode> e : Schemas.all().entrySet()) {
            Path file = RESOURCES.resolve(e.getKey());
            if (write) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e.getValue()) + "\n");
            }
            assertTrue(Files.exists(file), "missing schema " + file + " (run with -Dcontracts.write=true)");
            assertEquals(e.getValue(), JSON.readTree(file.toFile()), "schema " + e.getKey() + " differs from its record");
        }
    }

    @TestFactory
    Stream<DynamicTest> every_versioned_sample_parses_and_validates_against_its_schema() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> versions = Files.list(Path.of("src/test/resources/samples"))) {
            for (Path version : versions.sorted().toList()) {
                try (Stream<Path> samples = Files.list(version)) {
                    for (Path sample : samples.sorted().toList()) {
                        tests.add(DynamicTest.dynamicTest(version.getFileName() + "/" + sample.getFileName(), () -> check(sample)));
                    }
                }
            }
        }
        assertTrue(tests.size() >= EventTypes.byName().size() + MESSAGES.size(), "a sample of every message type");
        return tests.stream();
    }

    private static void check(Path sample) throws IOException {
        String name = sample.getFileName().toString().replace(".json", "");
        String text = Files.readString(sample);
        JsonNode json = JSON.readTree(text);
        String schemaFile;
        Object parsed;
        if (EventTypes.byName().containsKey(name)) {
            LedgerEvent event = LedgerJson.readEvent(text);
            assertEquals(EventTypes.byName().get(name), event.getClass());
            schemaFile = "ledger/" + name + ".v1.json";
            parsed = event;
        } else {
            parsed = LedgerJson.read(text, MESSAGES.get(name));
            schemaFile = (name.equals("ErpDelivery") ? "erp/" : "output/") + name + ".v1.json";
        }
        assertNotNull(parsed);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(RESOURCES.resolve(schemaFile).toFile()));
        Set<ValidationMessage> sampleProblems = schema.validate(json);
        assertTrue(sampleProblems.isEmpty(), () -> sample + ": " + sampleProblems);
        JsonNode written = JSON.readTree(LedgerJson.write(parsed));
        Set<ValidationMessage> writtenProblems = schema.validate(written);
        assertTrue(writtenProblems.isEmpty(), () -> sample + " as written again: " + writtenProblems);
        Object again = parsed instanceof LedgerEvent ? LedgerJson.readEvent(written.toString()) : LedgerJson.read(written.toString(), parsed.getClass());
        assertEquals(parsed, again, "a round trip changes nothing");
    }

    @Test
    void the_asyncapi_document_describes_every_topic_with_existing_schemas() throws IOException {
        JsonNode asyncapi;
        try (InputStream in = ContractCompatibilityTest.class.getResourceAsStream("/asyncapi.yaml")) {
            asyncapi = new ObjectMapper(new YAMLFactory()).readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("3.0.0", asyncapi.path("asyncapi").asText());
        List<String> addresses = new ArrayList<>();
        asyncapi.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        assertTrue(addresses.containsAll(Topics.ALL), "every topic is described: " + addresses);
        assertTrue(addresses.contains(Topics.ERP_DELIVERIES_PREFIX + "{organisationId}"), "the ERP topics are described: " + addresses);
        assertTrue(addresses.contains(Topics.OUTCOMES_PREFIX + "{organisationId}"), "the outcome topics are described: " + addresses);
        List<String> refs = new ArrayList<>();
        collectRefs(asyncapi, refs);
        for (String ref : refs) {
            if (ref.startsWith("./schemas/")) {
                assertTrue(Files.exists(RESOURCES.resolve(ref.substring("./schemas/".length()))), "schema " + ref + " exists");
            }
        }
        for (String schema : Schemas.all().keySet()) {
            assertTrue(refs.contains("./schemas/" + schema), "the AsyncAPI document refers to " + schema);
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
