package eu.massbalance.testinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker (broker and controller in one node) inside the test JVM,
 * started from Kafka's own test kit on a free port. Started once per JVM and shared by every
 * test class: on two cores a broker per class would dominate the build time.
 */
public final class TestKafka {

    private static KafkaClusterTestKit cluster;

    private TestKafka() {
    }

    /** Starts the broker on first use, creates the given topics, and returns the bootstrap servers. */
    public static synchronized String bootstrapServers(Collection<String> topics, int partitions) {
        if (cluster == null) {
            // No shutdown hook: closing the broker while the JVM exits makes Kafka halt the JVM with a
            // non-zero status, which fails the build. Its data live under target/, which clean removes.
            cluster = start();
        }
        TopicAdmin.create(cluster.bootstrapServers(), topics, partitions);
        return cluster.bootstrapServers();
    }

    private static KafkaClusterTestKit start() {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-"))
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            brokerDefaults().forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the in-JVM Kafka broker", e);
        }
    }

    public static Map<String, String> brokerDefaults() {
        return Map.of(
                "offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "4",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "false");
    }

}
