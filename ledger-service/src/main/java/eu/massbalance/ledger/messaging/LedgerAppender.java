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
import java.time.ZonedDateTime;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Appends events to a site's log: topic {@value Topics#LEDGER}, keyed by site id so that each
 * site's history is totally ordered, as CloudEvents in binary mode. The returned {@link Uni}
 * completes only once the broker has acknowledged the record (acks=all, idempotent producer),
 * so a 202 means the event is durably in Kafka.
 */
@ApplicationScoped
public class LedgerAppender {

    static final URI SOURCE = URI.create("urn:massbalance:ledger-service");

    @Inject
    @Channel("ledger-out")
    MutinyEmitter<String> ledger;

    public Uni<Void> append(String eventId, LedgerEvent event) {
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(eventId)
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
