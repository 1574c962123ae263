package eu.massbalance.testinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker (broker and controller in one node) inside the test JVM,
 * started from Kafka's own test kit on a free port, with authentication and ACLs on as in
 * production: every client signs in (SASL), and a principal may do only what
 * {@link KafkaAccess} grants it. Started once per JVM and shared by every test class: on two cores
 * a broker per class would dominate the build time.
 * <p>
 * The test kit's own super user ({@value #ADMIN}, SASL/PLAIN) creates topics, principals and
 * ACLs, and lets tests read any topic to check what the services wrote. The services and the ERP
 * principals sign in with SCRAM-SHA-512, each with its test password ({@link #password}).
 */
public final class TestKafka {

    public static final String ADMIN = JaasUtils.KAFKA_PLAIN_ADMIN;

    private static KafkaClusterTestKit cluster;
    private static final Set<String> organisations = new HashSet<>();

    private TestKafka() {
    }

    /** Starts the broker on first use, creates the given topics, and returns the bootstrap servers. */
    public static synchronized String bootstrapServers(Collection<String> topics, int partitions) {
        if (cluster == null) {
            // No shutdown hook: closing the broker while the JVM exits makes Kafka halt the JVM with a
            // non-zero status, which fails the build. Its data live under target/, which clean removes.
            cluster = start();
        }
        TopicAdmin.create(admin(), topics, partitions);
        return cluster.bootstrapServers();
    }

    /**
     * An organisation's ERP and outcome topics and its ERP principal ({@link KafkaAccess#erpPrincipal}),
     * which may write the one and read the other, and nothing else. Returns the ERP topic.
     */
    public static synchronized String organisation(String organisationId, int partitions) {
        String topic = eu.massbalance.contracts.Topics.erpDeliveries(organisationId);
        TopicAdmin.create(admin(), List.of(topic, eu.massbalance.contracts.Topics.outcomes(organisationId)), partitions);
        if (organisations.add(organisationId)) {
            String erp = KafkaAccess.erpPrincipal(organisationId);
            try (Admin admin = Admin.create(admin())) {
                KafkaAccess.upsertUsers(admin, Map.of(erp, password(erp)));
                KafkaAccess.grant(admin, KafkaAccess.erpAcls(organisationId));
            }
        }
        return topic;
    }

    /** The test password of a principal: tests only, for a broker that lives as long as the test JVM. */
    public static String password(String user) {
        return user + "-test-secret";
    }

    /** Client settings of the super user. */
    public static Map<String, Object> admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, running().bootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";");
        return config;
    }

    /** Client settings of a SCRAM principal with its test password. */
    public static Map<String, Object> as(String user) {
        return KafkaAccess.client(running().bootstrapServers(), user, password(user));
    }

    /** What a service started against this broker needs: where it is and how to sign in, as configuration. */
    public static Map<String, String> serviceConfig(String user) {
        return Map.of("kafka.bootstrap.servers", running().bootstrapServers(),
                "kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", KafkaAccess.MECHANISM,
                "kafka.sasl.jaas.config", KafkaAccess.jaas(user, password(user)));
    }

    private static synchronized KafkaClusterTestKit running() {
        if (cluster == null) {
            cluster = start();
        }
        return cluster;
    }

    private static KafkaClusterTestKit start() {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .setBaseDirectory(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-"))
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            brokerDefaults().forEach(builder::setConfigProp);
            // the kit's super user signs in with PLAIN; the services and the ERP principals with SCRAM
            builder.setConfigProp("sasl.enabled.mechanisms", "PLAIN," + KafkaAccess.MECHANISM);
            // the broker's SCRAM side is set up by its login module, which the kit's JAAS file does not name
            builder.setConfigProp("listener.name.external.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            cluster = kit;
            try (Admin admin = Admin.create(admin())) {
                KafkaAccess.upsertUsers(admin, Map.of(KafkaAccess.LEDGER_SERVICE, password(KafkaAccess.LEDGER_SERVICE),
                        KafkaAccess.PROJECTION_SERVICE, password(KafkaAccess.PROJECTION_SERVICE)));
                KafkaAccess.grant(admin, KafkaAccess.serviceAcls());
            }
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
