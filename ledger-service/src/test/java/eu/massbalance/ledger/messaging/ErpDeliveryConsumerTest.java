package eu.massbalance.ledger.messaging;

import static eu.massbalance.ledger.Requests.putSite;
import static eu.massbalance.ledger.Requests.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.RejectedRecord;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.KafkaTestResource;
import eu.massbalance.testinfra.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ErpDeliveryConsumerTest {

    /** The test organisation's ERP topic and the principal the broker lets write it. */
    static final String TOPIC = Topics.erpDeliveries(KafkaTestResource.TEST_ORGANISATION);
    static final String ERP = KafkaAccess.erpPrincipal(KafkaTestResource.TEST_ORGANISATION);

    @org.junit.jupiter.api.BeforeEach
    void authenticate() {
        eu.massbalance.ledger.Requests.authenticate();
    }


    @Test
    void a_poison_record_goes_to_the_rejected_topic_with_its_reason_and_the_next_good_record_is_ingested() {
        String site = "erp-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        String poison = "{this is not json";
        String invalid = "{\"deliveryId\": \"ERP-BAD\", \"direction\": \"OUTBOUND\", \"product\": \"HVO\"}";
        String good = eu.massbalance.ledger.Requests.outbound("ERP-GOOD", "30");
        eu.massbalance.ledger.Topics.send(ERP, TOPIC, site, poison);
        eu.massbalance.ledger.Topics.send(ERP, TOPIC, site, invalid);
        eu.massbalance.ledger.Topics.send(ERP, TOPIC, site, good);

        List<ConsumerRecord<String, String>> ledger = eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("ERP-GOOD"), 1, Duration.ofSeconds(30));
        assertEquals(1, ledger.size(), "the good record is ingested after the poison one");

        // a rebalance may redeliver a poll: a rejection is then told again, under the same source position
        List<RejectedRecord> rejected = eu.massbalance.ledger.Topics.read(Topics.REJECTED,
                        r -> site.equals(r.key()), 2, Duration.ofSeconds(30)).stream()
                .map(r -> LedgerJson.read(r.value(), RejectedRecord.class))
                .filter(distinctBy(r -> r.sourceTopic() + "-" + r.sourcePartition() + "@" + r.sourceOffset())).toList();
        assertEquals(2, rejected.size());
        RejectedRecord malformed = rejected.get(0);
        assertEquals("MALFORMED", malformed.reason());
        assertEquals(poison, malformed.payload());
        assertEquals(TOPIC, malformed.sourceTopic());
        assertTrue(malformed.sourceOffset() >= 0);
        RejectedRecord incomplete = rejected.get(1);
        assertEquals("INVALID", incomplete.reason());
        assertEquals(invalid, incomplete.payload());
        assertTrue(incomplete.problems().stream().anyMatch(p -> p.field().equals("occurredAt") && p.code().equals("REQUIRED")));
        assertTrue(incomplete.problems().stream().anyMatch(p -> p.field().equals("quantity")));
        assertEquals(malformed.sourcePartition(), incomplete.sourcePartition());
        assertTrue(incomplete.sourceOffset() > malformed.sourceOffset());
    }

    @Test
    void a_record_on_another_organisations_topic_for_a_site_not_of_that_organisation_is_rejected_as_SITE_NOT_GRANTED() {
        String site = "erp-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        String otherTopic = TestKafka.organisation("other-org", KafkaTestResource.PARTITIONS);
        String foreign = eu.massbalance.ledger.Requests.outbound("ERP-FOREIGN", "30");
        eu.massbalance.ledger.Topics.send(KafkaAccess.erpPrincipal("other-org"), otherTopic, site, foreign);
        String own = eu.massbalance.ledger.Requests.outbound("ERP-OWN", "30");
        eu.massbalance.ledger.Topics.send(ERP, TOPIC, site, own);

        List<RejectedRecord> rejected = eu.massbalance.ledger.Topics.read(Topics.REJECTED,
                        r -> site.equals(r.key()), 1, Duration.ofSeconds(30)).stream()
                .map(r -> LedgerJson.read(r.value(), RejectedRecord.class))
                .filter(distinctBy(r -> r.sourceTopic() + "-" + r.sourcePartition() + "@" + r.sourceOffset())).toList();
        assertEquals(1, rejected.size());
        assertEquals("SITE_NOT_GRANTED", rejected.get(0).reason());
        assertEquals(otherTopic, rejected.get(0).sourceTopic());
        assertEquals(foreign, rejected.get(0).payload());
        List<ConsumerRecord<String, String>> ledger = eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("\"deliveryId\""), 1, Duration.ofSeconds(30));
        assertEquals(1, ledger.size(), "only the delivery from the site's own organisation's topic is on the log");
        assertTrue(ledger.get(0).value().contains("ERP-OWN"));
        assertTrue(ledger.get(0).value().contains("kafka:" + TOPIC), "the topic it came by is its actor");
    }

    static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, String> key) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return t -> seen.add(key.apply(t));
    }
}
