package eu.massbalance.testinfra;

import eu.massbalance.contracts.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the JVM-wide in-process KRaft broker, with every topic of
 * the product and the test organisation's ERP topic created, signed in as the service principal
 * named by the init argument {@code principal}. Stopping is left to the JVM: the next test class
 * reuses the broker.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Several partitions, so tests see the same partition-by-site behaviour as production. */
    public static final int PARTITIONS = 3;
    /** The organisation the tests' callers belong to. */
    public static final String TEST_ORGANISATION = "test-org";

    private String principal;

    @Override
    public void init(Map<String, String> initArgs) {
        principal = initArgs.get("principal");
        if (principal == null) {
            throw new IllegalArgumentException("KafkaTestResource needs the init argument 'principal' (the service's Kafka user)");
        }
    }

    @Override
    public Map<String, String> start() {
        TestKafka.bootstrapServers(Topics.ALL, PARTITIONS);
        TestKafka.organisation(TEST_ORGANISATION, PARTITIONS);
        return TestKafka.serviceConfig(principal);
    }

    @Override
    public void stop() {
        // shared for the whole JVM
    }
}
