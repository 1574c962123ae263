package eu.massbalance.stack;

import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.Ports;
import eu.massbalance.testinfra.Processes;
import eu.massbalance.testinfra.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * A real single-node KRaft broker (broker and controller in one process) in a child JVM,
 * from the Kafka jars on this launcher's class path. Its log directory survives restarts:
 * the storage is formatted only on the first start.
 */
public final class KafkaProcess implements AutoCloseable {

    /** The broker's own super user, who signs in with PLAIN and creates the principals, topics and ACLs. */
    public static final String ADMIN = "admin";

    private final Process process;
    private final int port;
    private final Secrets credentials;

    private KafkaProcess(Process process, int port, Secrets credentials) {
        this.process = process;
        this.port = port;
        this.credentials = credentials;
    }

    public static KafkaProcess start(Path home, int port, int controllerPort, Path log) {
        try {
            Path data = home.resolve("data");
            Files.createDirectories(data);
            Secrets credentials = Secrets.at(home.resolve("credentials.properties"), "Kafka principals of the local stack");
            Path config = home.resolve("server.properties");
            writeConfig(config, data, port, controllerPort, credentials.password(ADMIN));
            if (!Files.exists(data.resolve("meta.properties"))) {
                run(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                        "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log);
            }
            Process broker = javaProcess(List.of("-Xmx512m", "kafka.Kafka", config.toString()), log).start();
            KafkaProcess kafka = new KafkaProcess(broker, port, credentials);
            Ports.awaitOpen("localhost", port, Duration.ofSeconds(60), broker);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Kafka; see " + log, e);
        }
    }

    /**
     * Authentication and ACLs on, as in production: the broker's own links and its super user sign
     * in with PLAIN (SCRAM cannot serve the controller before the metadata exist), every client
     * with SCRAM-SHA-512, and no ACL means no access.
     */
    private static void writeConfig(Path config, Path data, int port, int controllerPort, String adminPassword) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "SASL_PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "SASL_PLAINTEXT://localhost:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.setProperty("sasl.enabled.mechanisms", "PLAIN," + KafkaAccess.MECHANISM);
        p.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        p.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                + "\" password=\"" + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";";
        p.setProperty("listener.name.controller.plain.sasl.jaas.config", plain);
        p.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", plain);
        p.setProperty("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("allow.everyone.if.no.acl.found", "false");
        p.setProperty("super.users", "User:" + ADMIN);
        p.setProperty("log.dirs", data.toAbsolutePath().toString());
        p.setProperty("num.partitions", "6");
        TestKafka.brokerDefaults().forEach(p::setProperty);
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "Single-node KRaft broker of the local stack");
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = javaProcess(command, log).start();
        try {
            if (process.waitFor() != 0) {
                throw new IOException("Command " + command + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static ProcessBuilder javaProcess(List<String> arguments, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The principals' passwords, made on first start and kept next to the broker's data. */
    public Secrets credentials() {
        return credentials;
    }

    /** Client settings of the super user. */
    public Map<String, Object> admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + ADMIN + "\" password=\"" + credentials.password(ADMIN) + "\";");
        return config;
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(30));
    }
}
