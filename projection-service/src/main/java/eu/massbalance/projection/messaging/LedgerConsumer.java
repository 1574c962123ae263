package eu.massbalance.projection.messaging;

import eu.massbalance.projection.store.Projector;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the site logs a polled batch at a time, in order per partition. Each batch is
 * applied and stored in one database transaction with the partitions' next offsets
 * ({@link Projector}); on assignment the consumer seeks to those stored offsets
 * ({@link StoredOffsetsRebalanceListener}), so Kafka's committed offsets are not relied on.
 */
@ApplicationScoped
public class LedgerConsumer {

    @Inject
    Projector projector;

    @Incoming("ledger-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) {
        projector.apply(records);
    }
}
