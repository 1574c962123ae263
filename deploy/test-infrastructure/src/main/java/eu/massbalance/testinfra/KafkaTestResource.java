package eu.massbalance.testinfra;

import eu.massbalance.contracts.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the JVM-wide in-process KRaft broker, with every topic of
 * the product created. Stopping is left to the JVM: the next test class reuses the broker.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Several partitions, so tests see the same partition-by-site behaviour as production. */
    public static final int PARTITIONS = 3;

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", TestKafka.bootstrapServers(Topics.ALL, PARTITIONS));
    }

    @Override
    public void stop() {
        // shared for the whole JVM; a shutdown hook stops it
    }
}
