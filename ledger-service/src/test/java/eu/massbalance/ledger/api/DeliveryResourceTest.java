package eu.massbalance.ledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.json.LedgerJson;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeliveryResourceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void an_accepted_delivery_is_on_the_site_log_keyed_by_site_as_a_cloud_event() {
        String site = "site-" + UUID.randomUUID();
        given().contentType("application/json").body("""
                {"deliveryId": "ERP-4711", "direction": "INBOUND", "occurredAt": "2025-03-04T10:15:00+01:00",
                 "product": "HVO", "quantity": {"amount": "38.000", "unit": "m3"},
                 "supplierId": "supplier-rotterdam", "transportDocument": "CMR-889911", "sustainable": []}""")
                .when().post("/api/v1/sites/{site}/deliveries", site)
                .then().statusCode(202)
                .body("siteId", equalTo(site))
                .body("deliveryId", equalTo("ERP-4711"));

        ConsumerRecord<String, String> record = firstRecordFor(site);
        assertEquals(site, record.key());
        assertEquals("massbalance.InboundDelivery.v1", header(record, "ce_type"));
        assertEquals(site, header(record, "ce_subject"));
        LedgerEvent event = LedgerJson.readEvent(record.value());
        InboundDelivery inbound = assertInstanceOf(InboundDelivery.class, event);
        assertEquals(0, new BigDecimal("38").compareTo(inbound.quantity().amount()));
        assertEquals("CMR-889911", inbound.transportDocument());
    }

    private ConsumerRecord<String, String> firstRecordFor(String site) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.LEDGER));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                for (ConsumerRecord<String, String> r : seen) {
                    if (site.equals(r.key())) {
                        return r;
                    }
                }
            }
            throw new AssertionError("No record for " + site + " on " + Topics.LEDGER);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
