package eu.massbalance.projection.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.TransferInTransit;
import eu.massbalance.contracts.event.TransferReceived;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.TransferDispatched;
import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.projection.web.WorkspaceTest;
import eu.massbalance.testinfra.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * R-22 in the projection: the source's engine draws a transfer and its rows and the dispatch
 * notice are committed together; the notice on the transfers topic is what ledger-service makes
 * the destination's transit of, here by the same rule; in transit the material is in neither
 * stock and both sites list the transfer; the receipt books the batches at the destination with
 * what was lost, and a person follows the batch from one site to the other in the workspace.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class TransferProjectionTest {

    @BeforeEach
    void authenticate() {
        ProjectionFlowTest.authenticate();
    }

    /** The first dispatch notice on the transfers topic for this destination. */
    static TransferDispatched notice(String destination) {
        Map<String, Object> config = new HashMap<>(TestKafka.admin());
        config.put("group.id", "transfers-" + UUID.randomUUID());
        config.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.TRANSFERS));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (destination.equals(r.key())) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
        }
        assertEquals("massbalance.TransferDispatched.v1", new String(found.get(0).headers().lastHeader("ce_type").value(),
                java.nio.charset.StandardCharsets.UTF_8));
        return LedgerJson.read(found.get(0).value(), TransferDispatched.class);
    }

    @Test
    void a_transfer_is_dispatched_in_transit_and_received_and_a_person_follows_its_batch_across_the_sites() {
        String port = "port-" + UUID.randomUUID();
        String depot = "depot-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(port), ProjectionFlowTest.site(depot), ProjectionFlowTest.certificate(port),
                    ProjectionFlowTest.in(port, "I1", "2025-01-03", "10", "A"),
                    new OutboundDelivery(port, "T1", OffsetDateTime.parse("2025-01-05T10:00:00+01:00"), "HVO", Quantity.of("6", Unit.M3),
                            null, null, null, List.of(BatchLine.claim("6")), null, null, "erp", depot));
        }
        TransferDispatched notice = notice(depot);
        assertEquals(port, notice.sourceSiteId());
        assertEquals(List.of("A"), notice.batches().stream().map(BatchLine::batchId).toList());
        assertEquals("NL", notice.batches().get(0).characteristics().fields().get("countryOfOrigin"), "R-06: carried as drawn");
        given().get("/api/v1/sites/{s}/transfers?direction=out", port).then().statusCode(200)
                .body("[0].status", is("DISPATCHED")).body("[0].sustainable", is("6"));
        given().get("/api/v1/sites/{s}/stock", port).then().body("[0].onHand", is("4"));

        // what ledger-service appends to the destination's log from the notice
        String transferId = TransferInTransit.transferId(port, "T1");
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(new TransferInTransit(depot, transferId, port, "T1", notice.dispatchedAt(), notice.product(), notice.quantity(),
                    notice.batches(), "transfer:" + port));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/sites/{s}/deliveries/{d}", depot, transferId).then().statusCode(200).body("state", is("IN_TRANSIT")));
        given().get("/api/v1/sites/{s}/transfers?status=IN_TRANSIT", port).then().body("[0].transferId", is(transferId));
        given().get("/api/v1/sites/{s}/stock", depot).then().body("size()", is(0));

        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(new TransferReceived(depot, transferId, OffsetDateTime.parse("2025-01-06T09:00:00+01:00"),
                    Quantity.of("5.9", Unit.M3), "CMR-T1", "erp-depot"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/sites/{s}/transfers?direction=in", depot).then().body("[0].status", is("RECEIVED")));
        given().get("/api/v1/sites/{s}/transfers", depot).then().body("[0].receivedQuantity", is("5.9"))
                .body("[0].sustainableLost", is("0.1"));
        given().get("/api/v1/sites/{s}/stock", depot).then().body("[0].batchId", is("A")).body("[0].onHand", is("5.9"));
        // at the destination the transfer is an inbound of the day it arrived
        given().get("/api/v1/sites/{s}/deliveries/{d}", depot, transferId).then().body("state", is("BOOKED"))
                .body("occurredAt", containsString("2025-01-06"));
        given().get("/api/v1/deviations?siteId={s}", depot).then().body(containsString("TRANSFER_DIFFERENCE"));

        // the workspace: the depot lists the transfer, and the batch's page leads back to the port's batch
        WorkspaceTest.browser(eu.massbalance.testinfra.Tokens.test(WorkspaceTest.AUDITOR)).get("/app/sites/{s}?lang=en", depot).then().statusCode(200)
                .body(containsString("Transfers between sites")).body(containsString("/app/sites/" + port + "\""));
        String trace = WorkspaceTest.browser(eu.massbalance.testinfra.Tokens.test(WorkspaceTest.AUDITOR)).get("/app/sites/{s}/batches/A?lang=sv", depot).then()
                .statusCode(200).extract().asString();
        assertTrue(trace.contains("Kom från") && trace.contains("/app/sites/" + port + "/batches/A"), trace);
        WorkspaceTest.browser(eu.massbalance.testinfra.Tokens.test(WorkspaceTest.AUDITOR)).get("/app/sites/{s}/batches/A?lang=en", port).then().statusCode(200)
                .body(containsString("Sent to")).body(containsString("/app/sites/" + depot + "/batches/A"));
    }
}
