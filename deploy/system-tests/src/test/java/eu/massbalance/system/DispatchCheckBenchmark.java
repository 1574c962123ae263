package eu.massbalance.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * The dispatch check under load, on this machine with broker, database and both services on the
 * box. Not a test: run
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl deploy/system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=eu.massbalance.system.DispatchCheckBenchmark -Drepository.root=$PWD [-Dexec.args="500 30"]
 * </pre>
 * A site with 200 batches on hand; then R requests per second for S seconds, open loop (sent on
 * schedule whether or not earlier ones have answered), each timed from send to answer. As the
 * physical reference, in the same run, the same look-ups the check makes (site set-up, stock,
 * open period) are timed straight over JDBC, one after another. Figures go to {@code deploy/system-tests/target/dispatch-benchmark.txt}.
 */
public final class DispatchCheckBenchmark {

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (SystemUnderTest system = new SystemUnderTest()) {
            String site = "dispatch-bench-" + UUID.randomUUID().toString().substring(0, 6);
            system.registerSite(site, "2025-01", "HVO");
            system.put(system.ledger, "/api/v1/suppliers/boat-supplier/certificates/C-" + site,
                    "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2024-01-01\"}");
            List<String> boats = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boats.add("""
                        {"deliveryId": "B%03d", "direction": "INBOUND", "occurredAt": "2025-01-%02dT06:00:00+01:00", "product": "HVO",
                         "quantity": {"amount": "50", "unit": "m3"}, "supplierId": "boat-supplier", "transportDocument": "BL-%d",
                         "sustainable": [{"batchId": "BATCH-%03d", "amount": "50", "characteristics": {"profile": "raw-material-v1",
                          "rawMaterial": "UCO", "countryOfOrigin": "NL", "ghgEmissions": {"amount": "12", "unit": "gCO2e/MJ"}}}]}"""
                        .formatted(i, 2 + i % 27, i, i));
            }
            HttpResponse<String> posted = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries:batch",
                    "{\"deliveries\": [" + String.join(",", boats) + "]}");
            if (posted.statusCode() / 100 != 2) {
                throw new IllegalStateException("Boats not accepted: " + posted.body());
            }
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() ->
                    system.get(system.projection, "/api/v1/sites/" + site + "/stock").body().split("batchId").length > 200);

            // a truck's load, drawn FIFO from the oldest batches
            byte[] body = "{\"product\": \"HVO\", \"quantity\": {\"amount\": \"32.5\", \"unit\": \"m3\"}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            URI base = URI.create(system.projection.url());
            String path = "/api/v1/sites/" + site + "/dispatch-check";
            List<String> headers = List.of("Authorization: " + SystemUnderTest.BEARER, "Content-Type: application/json");
            // warm-up: long enough for the JIT to compile the request path on a shared two-core box
            OpenLoop.run(base, "POST", path, headers, body, rate, 20, CONNECTIONS, errors);
            java.time.Duration idle = system.projection.cpuTime();
            // what the projection spends with nothing asked of it (consumers polling, schedulers): measured over ten quiet seconds
            Thread.sleep(10_000);
            idle = system.projection.cpuTime().minus(idle);
            errors.set(0);
            String before = serverTimes(system);
            java.time.Duration projectionCpu = system.projection.cpuTime();
            java.time.Duration ledgerCpu = system.ledger.cpuTime();
            java.time.Duration clientCpu = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
            long[] latencies = OpenLoop.run(base, "POST", path, headers, body, rate, seconds, CONNECTIONS, errors);
            projectionCpu = system.projection.cpuTime().minus(projectionCpu);
            ledgerCpu = system.ledger.cpuTime().minus(ledgerCpu);
            clientCpu = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO).minus(clientCpu);
            String after = serverTimes(system);
            long[] reference = reference(system, site, rate * seconds / 10);
            // light load: 100 a second on one connection
            long[] alone = OpenLoop.run(base, "POST", path, headers, body, 100, 10, 1, new AtomicInteger());

            String figures = String.format("Dispatch check benchmark (%s, %d cores, JDK %s)%n"
                            + "site with 200 batches on hand; %d requests/s for %d s, open loop%n"
                            + "dispatch check: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d answered, %d errors%n"
                            + "100 requests/s on one connection: p50 %.2f ms, p99 %.2f ms%n"
                            + "reference, the same look-ups over JDBC, one after another: p50 %.2f ms, p99 %.2f ms%n"
                            + "ratio p99 check / p99 reference: %.1f%n"
                            + "inside the projection (its http.server.requests timer for the check), mean %s%n"
                            + "CPU used during the run, of %d core-seconds: projection %.1f s (%.2f ms a request), ledger %.1f s,"
                            + " load generator with the in-process broker %.1f s; the projection idle: %.2f cores%n",
                    LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rate, seconds,
                    ms(percentile(latencies, 50)), ms(percentile(latencies, 99)), ms(percentile(latencies, 100)), latencies.length,
                    errors.get(), ms(percentile(alone, 50)), ms(percentile(alone, 99)), ms(percentile(reference, 50)), ms(percentile(reference, 99)),
                    (double) percentile(latencies, 99) / Math.max(1, percentile(reference, 99)), meanBetween(before, after),
                    seconds * Runtime.getRuntime().availableProcessors(), projectionCpu.toMillis() / 1000.0,
                    (double) projectionCpu.toMillis() / latencies.length, ledgerCpu.toMillis() / 1000.0, clientCpu.toMillis() / 1000.0,
                    idle.toMillis() / 10_000.0);
            System.out.print(figures);
            Files.writeString(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/dispatch-benchmark.txt"), figures);
        }
        System.exit(0);
    }

    static final AtomicInteger errors = new AtomicInteger();

    /** Keep-alive connections the load generator sends on, as an ERP's loading bays would. */
    static final int CONNECTIONS = 8;

    /** The projection's own count and total seconds of dispatch-check requests, from its metrics. */
    static String serverTimes(SystemUnderTest system) throws Exception {
        double count = 0;
        double sum = 0;
        for (String line : system.get(system.projection, "/q/metrics").body().split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count") && line.contains("dispatch-check")) {
                count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("http_server_requests_seconds_sum") && line.contains("dispatch-check")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return count + " " + sum;
    }

    static String meanBetween(String before, String after) {
        String[] b = before.split(" ");
        String[] a = after.split(" ");
        double count = Double.parseDouble(a[0]) - Double.parseDouble(b[0]);
        double sum = Double.parseDouble(a[1]) - Double.parseDouble(b[1]);
        return count == 0 ? "not measured" : String.format("%.3f ms over %.0f requests", 1000 * sum / count, count);
    }

    static long[] reference(SystemUnderTest system, String site, int count) throws Exception {
        long[] latencies = new long[count];
        try (Connection c = DriverManager.getConnection(system.jdbcUrl("projection"), eu.massbalance.testinfra.Postgres.USER,
                eu.massbalance.testinfra.Postgres.PASSWORD);
             PreparedStatement setup = c.prepareStatement("SELECT configuration::text, seq FROM site_setup WHERE site_id = ?");
             PreparedStatement stock = c.prepareStatement("SELECT batch_id, product, on_hand FROM stock"
                     + " WHERE site_id = ? AND mixture = ? AND on_hand > 0 ORDER BY position");
             PreparedStatement period = c.prepareStatement(
                     "SELECT period_id FROM period_balance WHERE site_id = ? AND status <> 'CLOSED' ORDER BY period_id LIMIT 1")) {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                setup.setString(1, site);
                drain(setup.executeQuery());
                stock.setString(1, site);
                stock.setString(2, "HVO");
                drain(stock.executeQuery());
                period.setString(1, site);
                drain(period.executeQuery());
                latencies[i] = System.nanoTime() - start;
            }
        }
        return latencies;
    }

    static void drain(ResultSet rs) throws Exception {
        try (rs) {
            while (rs.next()) {
                rs.getString(1);
            }
        }
    }

    static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
