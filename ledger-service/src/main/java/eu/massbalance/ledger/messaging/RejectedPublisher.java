package eu.massbalance.ledger.messaging;

import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.output.RejectedRecord;
import eu.massbalance.contracts.json.LedgerJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Keeps every rejected ERP record, with its reason, on {@code massbalance.rejected.v1}. */
@ApplicationScoped
public class RejectedPublisher {

    @Inject
    @Channel("rejected-out")
    MutinyEmitter<String> rejected;

    @Inject
    MeterRegistry metrics;

    public void publish(ConsumerRecord<String, String> source, String reason, List<FieldProblem> problems) {
        String key = source.key();
        RejectedRecord record = new RejectedRecord(source.topic(), source.partition(), source.offset(), key, source.value(),
                reason, problems, OffsetDateTime.now());
        String id = UUID.nameUUIDFromBytes((source.topic() + "/" + source.partition() + "/" + source.offset())
                .getBytes(StandardCharsets.UTF_8)).toString();
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(id).withSource(URI.create("urn:massbalance:ledger-service")).withType("massbalance.RejectedRecord.v1")
                .withSubject(key == null ? "unknown" : key).withDataContentType("application/json").build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
        rejected.sendMessage(Message.of(LedgerJson.write(record), Metadata.of(cloudEvent, kafka))).await().atMost(Duration.ofSeconds(30));
        metrics.counter("massbalance.erp.rejected", "reason", reason).increment();
    }
}
