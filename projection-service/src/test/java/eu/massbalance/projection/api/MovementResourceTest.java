package eu.massbalance.projection.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.json.LedgerJson;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MovementResourceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void an_event_on_the_site_log_becomes_a_movement() throws Exception {
        String site = "site-" + UUID.randomUUID();
        OutboundDelivery out = new OutboundDelivery(site, "ERP-4712", OffsetDateTime.parse("2025-03-05T07:40:00+01:00"),
                "HVO", Quantity.of("30", Unit.M3), "haulier-12", "TRANSPORT", true, List.of(BatchLine.claim("30")), null, null);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEDGER, site, LedgerJson.write(out));
            record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_source", "urn:test".getBytes(StandardCharsets.UTF_8));
            record.headers().add("ce_type", out.eventType().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/api/v1/sites/{site}/movements", site)
                        .then().statusCode(200)
                        .body("items", hasSize(1))
                        .body("items[0].deliveryId", equalTo("ERP-4712"))
                        .body("items[0].direction", equalTo("OUTBOUND")));
    }
}
