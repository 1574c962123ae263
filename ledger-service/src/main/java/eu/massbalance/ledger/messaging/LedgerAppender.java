package eu.massbalance.ledger.messaging;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.json.LedgerJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Appends events to a site's log: topic {@value Topics#LEDGER}, keyed by site id so that each
 * site's history is totally ordered, as CloudEvents in binary mode (id, source, type, subject =
 * site id, time). Returns only once the broker has acknowledged every record (acks=all,
 * idempotent producer): a 202 means the events are durably in Kafka.
 */
@ApplicationScoped
public class LedgerAppender {

    static final URI SOURCE = URI.create("urn:massbalance:ledger-service");
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    public record Append(UUID eventId, LedgerEvent event) {
    }

    @Inject
    @Channel("ledger-out")
    MutinyEmitter<String> ledger;

    public void append(UUID eventId, LedgerEvent event) {
        appendAll(List.of(new Append(eventId, event)));
    }

    /** Sends all records at once (the producer batches them) and waits for every acknowledgement. */
    public void appendAll(List<Append> appends) {
        if (appends.isEmpty()) {
            return;
        }
        List<Uni<Void>> sends = appends.stream().map(a -> send(a.eventId(), a.event())).toList();
        Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
    }

    private Uni<Void> send(UUID eventId, LedgerEvent event) {
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(eventId.toString())
                .withSource(SOURCE)
                .withType(event.eventType())
                .withSubject(event.siteId())
                .withTimestamp(ZonedDateTime.now())
                .withDataContentType("application/json")
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.siteId())
                .build();
        return ledger.sendMessage(Message.of(LedgerJson.write(event), Metadata.of(cloudEvent, kafka)));
    }
}
