package eu.massbalance.projection;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes events onto the real ledger topic the way ledger-service does: CloudEvents, keyed by site. */
public final class LedgerFeed implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    /** Signs in as ledger-service, the one principal the broker lets write the ledger topic. */
    public LedgerFeed() {
        Map<String, Object> config = new HashMap<>(TestKafka.as(KafkaAccess.LEDGER_SERVICE));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    public void send(List<? extends LedgerEvent> events) {
        events.forEach(e -> sendRaw(e.siteId(), LedgerJson.write(e), e.eventType()));
        producer.flush();
    }

    public void send(LedgerEvent... events) {
        send(List.of(events));
    }

    public void sendRaw(String key, String payload, String type) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEDGER, key, payload);
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_source", "urn:test".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_subject", key.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
