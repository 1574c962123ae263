package eu.massbalance.ledger.messaging;

import static eu.massbalance.ledger.Requests.putSite;
import static eu.massbalance.ledger.Requests.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.RejectedRecord;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ErpDeliveryConsumerTest {

    @org.junit.jupiter.api.BeforeEach
    void authenticate() {
        eu.massbalance.ledger.Requests.authenticate();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_poison_record_goes_to_the_rejected_topic_with_its_reason_and_the_next_good_record_is_ingested() {
        String site = "erp-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        String poison = "{this is not json";
        String invalid = "{\"deliveryId\": \"ERP-BAD\", \"direction\": \"OUTBOUND\", \"product\": \"HVO\"}";
        String good = eu.massbalance.ledger.Requests.outbound("ERP-GOOD", "30");
        eu.massbalance.ledger.Topics.send(bootstrap, Topics.ERP_DELIVERIES, site, poison);
        eu.massbalance.ledger.Topics.send(bootstrap, Topics.ERP_DELIVERIES, site, invalid);
        eu.massbalance.ledger.Topics.send(bootstrap, Topics.ERP_DELIVERIES, site, good);

        List<ConsumerRecord<String, String>> ledger = eu.massbalance.ledger.Topics.read(bootstrap, Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("ERP-GOOD"), 1, Duration.ofSeconds(30));
        assertEquals(1, ledger.size(), "the good record is ingested after the poison one");

        List<RejectedRecord> rejected = eu.massbalance.ledger.Topics.read(bootstrap, Topics.REJECTED,
                        r -> site.equals(r.key()), 2, Duration.ofSeconds(30)).stream()
                .map(r -> LedgerJson.read(r.value(), RejectedRecord.class)).toList();
        assertEquals(2, rejected.size());
        RejectedRecord malformed = rejected.get(0);
        assertEquals("MALFORMED", malformed.reason());
        assertEquals(poison, malformed.payload());
        assertEquals(Topics.ERP_DELIVERIES, malformed.sourceTopic());
        assertTrue(malformed.sourceOffset() >= 0);
        RejectedRecord incomplete = rejected.get(1);
        assertEquals("INVALID", incomplete.reason());
        assertEquals(invalid, incomplete.payload());
        assertTrue(incomplete.problems().stream().anyMatch(p -> p.field().equals("occurredAt") && p.code().equals("REQUIRED")));
        assertTrue(incomplete.problems().stream().anyMatch(p -> p.field().equals("quantity")));
        assertEquals(malformed.sourcePartition(), incomplete.sourcePartition());
        assertTrue(incomplete.sourceOffset() > malformed.sourceOffset());
    }
}
