package eu.massbalance.projection.messaging;

import eu.massbalance.projection.store.Projector;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** The database, not Kafka's committed offsets, says where each partition resumes. */
@ApplicationScoped
@Identifier("ledger-offsets")
public class StoredOffsetsRebalanceListener implements KafkaConsumerRebalanceListener {

    @Inject
    Projector projector;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> resume = projector.assigned(partitions);
        resume.forEach(consumer::seek);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        projector.revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        projector.revoked(partitions);
    }
}
