package eu.massbalance.projection.messaging;

import eu.massbalance.projection.store.ProjectionStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/** The database, not Kafka's committed offsets, says where each partition resumes. */
@ApplicationScoped
@Identifier("ledger-offsets")
public class StoredOffsetsRebalanceListener implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(StoredOffsetsRebalanceListener.class);

    @Inject
    ProjectionStore store;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = store.storedOffsets(partitions);
        for (TopicPartition partition : partitions) {
            long next = stored.getOrDefault(partition, 0L);
            consumer.seek(partition, next);
            LOG.infof("Partition %s assigned; resuming at stored offset %d", partition, next);
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        store.forget(partitions);
    }
}
