package eu.massbalance.ledger.messaging;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.massbalance.contracts.Topics;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.KafkaTestResource;
import eu.massbalance.testinfra.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The broker, not the payload, proves who produced a record: given the broker's ACLs
 * ({@link KafkaAccess}), a principal writing or reading beyond its part is refused by the broker.
 */
@QuarkusTest
class BrokerAccessTest {

    static final String OWN = KafkaAccess.erpPrincipal(KafkaTestResource.TEST_ORGANISATION);

    @Test
    void an_erp_principal_may_not_write_another_organisations_topic_nor_the_ledger() {
        String otherTopic = TestKafka.organisation("rival-org", KafkaTestResource.PARTITIONS);
        assertRefusedWrite(OWN, otherTopic);
        assertRefusedWrite(OWN, Topics.LEDGER);
        assertRefusedWrite(OWN, Topics.REJECTED);
    }

    @Test
    void only_ledger_service_writes_the_ledger_and_only_projection_service_the_output_topics() {
        assertRefusedWrite(KafkaAccess.PROJECTION_SERVICE, Topics.LEDGER);
        assertRefusedWrite(KafkaAccess.LEDGER_SERVICE, Topics.DEVIATIONS);
        assertRefusedWrite(KafkaAccess.LEDGER_SERVICE, Topics.PERIOD_RESULTS);
    }

    @Test
    void an_erp_principal_may_not_read_the_ledger() {
        Map<String, Object> config = new HashMap<>(TestKafka.as(OWN));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, OWN);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(Topics.LEDGER, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
    }

    @Test
    void a_client_with_a_wrong_password_is_not_let_in() {
        Map<String, Object> config = new HashMap<>(TestKafka.as(OWN));
        config.put("sasl.jaas.config", KafkaAccess.jaas(OWN, "guessed"));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            Exception e = assertThrows(Exception.class, () -> producer.send(new ProducerRecord<>(
                    Topics.erpDeliveries(KafkaTestResource.TEST_ORGANISATION), "site", "{}")).get(20, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    static void assertRefusedWrite(String user, String topic) {
        Map<String, Object> config = new HashMap<>(TestKafka.as(user));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "refused-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(topic, "site", "{}")).get(20, TimeUnit.SECONDS), user + " → " + topic);
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), user + " → " + topic);
        }
    }
}
