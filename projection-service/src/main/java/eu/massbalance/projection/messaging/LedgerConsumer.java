package eu.massbalance.projection.messaging;

import eu.massbalance.projection.store.ProjectionStore;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the site logs a polled batch at a time. Each batch is written in one database
 * transaction together with the next offset of every partition it touched; on assignment the
 * consumer seeks to those stored offsets ({@link StoredOffsetsRebalanceListener}), so a crash,
 * a restart or a rebalance neither loses nor repeats an event.
 */
@ApplicationScoped
public class LedgerConsumer {

    @Inject
    ProjectionStore store;

    @Incoming("ledger-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, String> records) {
        store.apply(records);
    }
}
