package eu.massbalance.system;

import eu.massbalance.contracts.Topics;
import eu.massbalance.testinfra.TestKafka;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

final class ProjectionCrashTestSupport {

    private ProjectionCrashTestSupport() {
    }

    /** The sum over the ledger topic's partitions of their end offsets: how many records there are. */
    static long endOffsets() throws Exception {
        try (Admin admin = Admin.create(TestKafka.admin())) {
            var partitions = admin.describeTopics(List.of(Topics.LEDGER)).allTopicNames().get().get(Topics.LEDGER).partitions();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(p -> request.put(new TopicPartition(Topics.LEDGER, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }
}
