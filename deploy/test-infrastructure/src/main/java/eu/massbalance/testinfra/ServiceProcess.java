package eu.massbalance.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** One of our services, packaged as a Quarkus fast-jar, running in a child JVM. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A small footprint: enough for the local stack and the tests on a shared machine. */
    public static final List<String> SMALL_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

    /** Starts {@code <moduleDir>/target/quarkus-app/quarkus-run.jar} with the given environment. */
    public static ServiceProcess start(String name, Path moduleDir, int port, Map<String, String> env, Path log) {
        return start(name, moduleDir, port, env, log, SMALL_JVM);
    }

    /** As {@link #start(String, Path, int, Map, Path)}, with the given JVM options. */
    public static ServiceProcess start(String name, Path moduleDir, int port, Map<String, String> env, Path log,
                                       List<String> jvmOptions) {
        Path jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " is missing (run ./mvnw install -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        try {
            return new ServiceProcess(name, builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** CPU time the service's process has used so far (user and system), from the operating system. */
    public java.time.Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/ready} answers UP. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
            }
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // polling a health endpoint
        }
    }

    /** Kills the JVM at once, as a crash would: no shutdown hooks, no graceful close. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(20));
    }
}
