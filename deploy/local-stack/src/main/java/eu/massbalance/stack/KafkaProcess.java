package eu.massbalance.stack;

import eu.massbalance.testinfra.Ports;
import eu.massbalance.testinfra.Processes;
import eu.massbalance.testinfra.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker (broker and controller in one process) in a child JVM,
 * from the Kafka jars on this launcher's class path. Its log directory survives restarts:
 * the storage is formatted only on the first start.
 */
public final class KafkaProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private KafkaProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static KafkaProcess start(Path home, int port, int controllerPort, Path log) {
        try {
            Path data = home.resolve("data");
            Files.createDirectories(data);
            Path config = home.resolve("server.properties");
            writeConfig(config, data, port, controllerPort);
            if (!Files.exists(data.resolve("meta.properties"))) {
                run(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                        "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log);
            }
            Process broker = javaProcess(List.of("-Xmx512m", "kafka.Kafka", config.toString()), log).start();
            KafkaProcess kafka = new KafkaProcess(broker, port);
            Ports.awaitOpen("localhost", port, Duration.ofSeconds(60), broker);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Kafka; see " + log, e);
        }
    }

    private static void writeConfig(Path config, Path data, int port, int controllerPort) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(30));
    }
}
