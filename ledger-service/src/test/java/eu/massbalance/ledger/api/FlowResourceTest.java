package eu.massbalance.ledger.api;

import static eu.massbalance.ledger.Requests.putSite;
import static eu.massbalance.ledger.Requests.site;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.RejectedRecord;
import eu.massbalance.contracts.output.TransferDispatched;
import eu.massbalance.ledger.Requests;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ledger-service's part of material flows (R-22, R-23): what it refuses at once, field by field,
 * with nothing appended; what it appends exactly once however often it is asked; and the transit a
 * dispatch notice on the transfers topic becomes at the destination, once, however often the
 * notice is delivered.
 */
@QuarkusTest
class FlowResourceTest {

    String source;
    String destination;

    @BeforeEach
    void registerSites() {
        Requests.authenticate();
        source = "port-" + UUID.randomUUID();
        destination = "inland-" + UUID.randomUUID();
        putSite(source, site(1, "2025-01", null)).statusCode(201);
        putSite(destination, site(1, "2025-01", null)).statusCode(201);
    }

    static String run(String runId, String inputAmount, String claimed, String output, String factor, String declared) {
        return """
                {"runId": "%s", "occurredAt": "2025-01-12T06:00:00+01:00", "inputProduct": "HVO",
                 "inputQuantity": {"amount": "%s", "unit": "m3"}, "inputs": [{"amount": "%s"}],
                 "outputs": [{"product": "FAME", "quantity": {"amount": "%s", "unit": "m3"}, "factor": "%s",
                              "declared": %s}]}""".formatted(runId, inputAmount, claimed, output, factor, declared);
    }

    static ValidatableResponse postRun(String siteId, String body) {
        return given().contentType("application/json").body(body).when().post("/api/v1/sites/{s}/processing-runs", siteId).then();
    }

    static String transfer(String deliveryId, String destinationSiteId, String product, boolean taxLiability) {
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-01-10T08:00:00+01:00", "product": "%s",
                 "quantity": {"amount": "25", "unit": "m3"}, "destinationSiteId": "%s", "taxLiability": %s,
                 "sustainable": [{"amount": "25"}]}""".formatted(deliveryId, product, destinationSiteId, taxLiability);
    }

    static ValidatableResponse postReceipt(String siteId, String transferId, String amount) {
        return given().contentType("application/json").body("""
                        {"occurredAt": "2025-01-11T13:30:00+01:00", "received": {"amount": "%s", "unit": "m3"},
                         "transportDocument": "CMR-R"}""".formatted(amount))
                .when().post("/api/v1/sites/{s}/transfers/{t}/receipt", siteId, transferId).then();
    }

    /** Every record on the ledger topic for the site whose CloudEvent type is the given one and whose payload holds the text. */
    static List<ConsumerRecord<String, String>> onLog(String siteId, String type, String text, int atLeast) {
        return eu.massbalance.ledger.Topics.read(Topics.LEDGER, r -> siteId.equals(r.key()) && r.value().contains(text)
                && ("massbalance." + type + ".v1").equals(eu.massbalance.ledger.Topics.header(r, "ce_type")), atLeast,
                Duration.ofSeconds(atLeast == 0 ? 5 : 30));
    }

    static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return LedgerJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }

    /** A site of another organisation, registered by that organisation's officer. */
    static String siteOfAnotherOrganisation() {
        String organisation = "org-other-" + UUID.randomUUID().toString().substring(0, 8);
        String siteId = "other-" + UUID.randomUUID();
        given().contentType("application/json").body("{\"name\": \"Other\"}").put("/api/v1/organisations/{o}", organisation)
                .then().statusCode(201);
        RestAssured.requestSpecification = null;
        try {
            given().header("Authorization", Requests.bearer(new Tokens.Principal("officer-other", organisation, null,
                            Set.of(Principal.COMPLIANCE_OFFICER), List.of())))
                    .contentType("application/json").body(site(1, "2025-01", null)).put("/api/v1/sites/{s}", siteId)
                    .then().statusCode(201);
        } finally {
            Requests.authenticate();
        }
        return siteId;
    }

    @Test
    void a_processing_run_is_checked_field_by_field_and_appended_once() {
        postRun(source, run("RUN-BIG", "10", "10", "10.5", "1", "null")).statusCode(400)
                .body("errors.field", hasItem("outputs[0].quantity.amount"))
                .body("errors.code", hasItem("PROCESSING_OUTPUT_EXCEEDS_FACTOR"));
        postRun(source, run("RUN-ORIGIN", "10", "10", "9", "1", "{\"profile\": \"red-biofuel-v1\", \"countryOfOrigin\": \"CN\"}"))
                .statusCode(400)
                .body("errors.field", hasItem("outputs[0].declared.countryOfOrigin"))
                .body("errors.code", hasItem("CARRIED_FROM_INPUT"));
        postRun(source, run("RUN-CLAIM", "10", "11", "9", "1", "null")).statusCode(400)
                .body("errors.code", hasItem("SUSTAINABLE_EXCEEDS_QUANTITY"));
        postRun(source, run("RUN-ZERO", "10", "10", "9", "0", "null")).statusCode(400)
                .body("errors.field", hasItem("outputs[0].factor"));
        postRun(source, """
                {"runId": "RUN-NONE", "occurredAt": "2025-01-12T06:00:00+01:00", "inputProduct": "HVO",
                 "inputQuantity": {"amount": "10", "unit": "m3"}, "inputs": [], "outputs": []}""").statusCode(400)
                .body("errors.field", hasItem("outputs"));

        String body = run("RUN-1", "10", "8", "9.9", "1", "{\"profile\": \"red-biofuel-v1\", \"fuelCategory\": \"FAME\"}");
        String eventId = postRun(source, body).statusCode(202).extract().path("eventId");
        assertEquals(eventId, postRun(source, body).statusCode(202).extract().path("eventId"), "the same run again is the same event");
        postRun(source, run("RUN-1", "10", "8", "9.8", "1", "null")).statusCode(409)
                .body("code", org.hamcrest.Matchers.is("DELIVERY_ID_CONFLICT"));

        List<ConsumerRecord<String, String>> runs = onLog(source, "ProcessingRun", "RUN-", 1);
        assertEquals(List.of(eventId), runs.stream().map(r -> eu.massbalance.ledger.Topics.header(r, "ce_id")).toList(),
                "one run on the log; no refused one");
    }

    @Test
    void a_transfer_the_destination_cannot_take_is_refused_at_once_and_nothing_is_appended() {
        String other = siteOfAnotherOrganisation();
        Requests.postDelivery(source, transfer("T-SAME", source, "HVO", false)).statusCode(400)
                .body("errors.code", hasItem("TRANSFER_TO_SAME_SITE"));
        Requests.postDelivery(source, transfer("T-NOWHERE", "nowhere-" + UUID.randomUUID(), "HVO", false)).statusCode(400)
                .body("errors.code", hasItem("TRANSFER_DESTINATION_UNKNOWN"));
        Requests.postDelivery(source, transfer("T-OTHER", other, "HVO", false)).statusCode(400)
                .body("errors.field", hasItem("destinationSiteId"))
                .body("errors.code", hasItem("TRANSFER_OTHER_ORGANISATION"));
        Requests.postDelivery(source, transfer("T-TAX", destination, "HVO", true)).statusCode(400)
                .body("errors.field", hasItem("taxLiability"));
        Requests.postDelivery(source, """
                {"deliveryId": "T-IN", "direction": "INBOUND", "occurredAt": "2025-01-10T08:00:00+01:00", "product": "HVO",
                 "quantity": {"amount": "5", "unit": "m3"}, "supplierId": "s", "transportDocument": "BL",
                 "destinationSiteId": "%s"}""".formatted(destination)).statusCode(400)
                .body("errors.field", hasItem("destinationSiteId"));

        Requests.postDelivery(source, transfer("T-OK", destination, "HVO", false)).statusCode(202);
        List<ConsumerRecord<String, String>> log = onLog(source, "OutboundDelivery", "\"T-", 1);
        assertEquals(List.of("T-OK"), log.stream().map(r -> tree(r.value()).path("deliveryId").asText()).toList(),
                "only the valid transfer reached the source's log");
    }

    @Test
    void a_dispatch_notice_becomes_one_transit_at_the_destination_and_its_receipt_is_recorded_once() {
        Requests.postDelivery(source, transfer("T-1", destination, "HVO", false)).statusCode(202);
        String transferId = source + ":T-1";
        postReceipt(destination, transferId, "24.9").statusCode(404)
                .body("code", org.hamcrest.Matchers.is("TRANSFER_UNKNOWN"));

        // what the source's projection publishes once the engine drew the batches; delivered twice, as after a crash
        String notice = LedgerJson.write(new TransferDispatched(source, "T-1", 2, destination,
                OffsetDateTime.parse("2025-01-10T08:00:00+01:00"), "HVO", new Quantity(new BigDecimal("25"), Unit.M3),
                List.of(new BatchLine("B-1", new BigDecimal("25"), eu.massbalance.contracts.Characteristics.of("red-biofuel-v1",
                        java.util.Map.of("fuelCategory", "HVO", "countryOfOrigin", "NL"))))));
        eu.massbalance.ledger.Topics.send(KafkaAccess.PROJECTION_SERVICE, Topics.TRANSFERS, destination, notice);
        eu.massbalance.ledger.Topics.send(KafkaAccess.PROJECTION_SERVICE, Topics.TRANSFERS, destination, notice);
        // a later notice on the same partition: once its transit is on the log, both before it were read
        eu.massbalance.ledger.Topics.send(KafkaAccess.PROJECTION_SERVICE, Topics.TRANSFERS, destination, notice.replace("T-1", "T-2"));
        onLog(destination, "TransferInTransit", source + ":T-2", 1);

        List<ConsumerRecord<String, String>> transits = onLog(destination, "TransferInTransit", transferId, 1);
        assertEquals(1, transits.size(), "one transit, however often notified");
        assertEquals("NL", tree(transits.get(0).value()).path("batches").get(0).path("characteristics")
                .path("countryOfOrigin").asText(), "the characteristics travel as drawn (R-06)");

        String eventId = postReceipt(destination, transferId, "24.9").statusCode(202).extract().path("eventId");
        postReceipt(destination, transferId, "25").statusCode(409).body("code", org.hamcrest.Matchers.is("TRANSFER_ALREADY_RECEIVED"));
        List<ConsumerRecord<String, String>> receipts = onLog(destination, "TransferReceived", transferId, 1);
        assertEquals(Set.of(eventId), receipts.stream().map(r -> eu.massbalance.ledger.Topics.header(r, "ce_id"))
                .collect(Collectors.toSet()));
        assertEquals(1, receipts.size(), "one receipt on the log");
        postReceipt(source, transferId, "24.9").statusCode(404);
    }

    @Test
    void a_notice_that_cannot_become_a_transit_is_set_aside_with_its_reason_and_the_next_is_taken() {
        String other = siteOfAnotherOrganisation();
        String foreign = LedgerJson.write(new TransferDispatched(source, "T-X", 2, other, OffsetDateTime.parse("2025-01-10T08:00:00+01:00"),
                "HVO", new Quantity(new BigDecimal("5"), Unit.M3), List.of()));
        String good = LedgerJson.write(new TransferDispatched(source, "T-Y", 3, destination,
                OffsetDateTime.parse("2025-01-10T09:00:00+01:00"), "HVO", new Quantity(new BigDecimal("5"), Unit.M3), List.of()));
        eu.massbalance.ledger.Topics.send(KafkaAccess.PROJECTION_SERVICE, Topics.TRANSFERS, other, "{not json");
        eu.massbalance.ledger.Topics.send(KafkaAccess.PROJECTION_SERVICE, Topics.TRANSFERS, other, foreign);
        eu.massbalance.ledger.Topics.send(KafkaAccess.PROJECTION_SERVICE, Topics.TRANSFERS, destination, good);

        assertEquals(1, onLog(destination, "TransferInTransit", source + ":T-Y", 1).size(), "the good notice after the bad ones");
        List<ConsumerRecord<String, String>> transits = eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> (destination.equals(r.key()) || other.equals(r.key())) && r.value().contains(source), 1, Duration.ofSeconds(30));
        assertEquals(List.of(destination), transits.stream().map(ConsumerRecord::key).toList(),
                "nothing reaches another organisation's log");
        List<RejectedRecord> rejected = eu.massbalance.ledger.Topics.read(Topics.REJECTED, r -> other.equals(r.key()), 2,
                Duration.ofSeconds(30)).stream().map(r -> LedgerJson.read(r.value(), RejectedRecord.class)).toList();
        assertTrue(rejected.stream().anyMatch(r -> r.reason().equals("MALFORMED") && r.sourceTopic().equals(Topics.TRANSFERS)),
                () -> "rejected: " + rejected);
        assertTrue(rejected.stream().anyMatch(r -> r.reason().equals("INVALID")
                && r.problems().stream().anyMatch(p -> p.code().equals("TRANSFER_OTHER_ORGANISATION"))), () -> "rejected: " + rejected);
    }
}
