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

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(java.util.concurrent.Executors.newFixedThreadPool(8)).build();
            // a truck's load, drawn FIFO from the oldest batches
            String body = "{\"product\": \"HVO\", \"quantity\": {\"amount\": \"32.5\", \"unit\": \"m3\"}}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(system.projection.url() + "/api/v1/sites/" + site + "/dispatch-check"))
                    .header("Authorization", SystemUnderTest.BEARER).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            run(http, request, rate, 5); // warm-up
            long[] latencies = run(http, request, rate, seconds);
            long[] reference = reference(system, site, rate * seconds / 10);

            String figures = String.format("Dispatch check benchmark (%s, %d cores, JDK %s)%n"
                            + "site with 200 batches on hand; %d requests/s for %d s, open loop%n"
                            + "dispatch check: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d answered, %d errors%n"
                            + "reference, the same look-ups over JDBC, one after another: p50 %.2f ms, p99 %.2f ms%n"
                            + "ratio p99 check / p99 reference: %.1f%n",
                    LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rate, seconds,
                    ms(percentile(latencies, 50)), ms(percentile(latencies, 99)), ms(percentile(latencies, 100)), latencies.length,
                    errors.get(), ms(percentile(reference, 50)), ms(percentile(reference, 99)),
                    (double) percentile(latencies, 99) / Math.max(1, percentile(reference, 99)));
            System.out.print(figures);
            Files.writeString(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/dispatch-benchmark.txt"), figures);
        }
        System.exit(0);
    }

    static final AtomicInteger errors = new AtomicInteger();

    /** Sends {@code rate} requests a second for {@code seconds}, on schedule; returns each one's latency in ns. */
    static long[] run(HttpClient http, HttpRequest request, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long[] latencies = new long[total];
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        errors.set(0);
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                // open loop: each request leaves at its scheduled time, answered or not; sleeping until then is the point
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int n = i;
            long sent = System.nanoTime();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                latencies[n] = System.nanoTime() - sent;
                if (failure != null || response.statusCode() != 200) {
                    if (errors.incrementAndGet() == 1) {
                        System.out.println("first error: " + (failure != null ? failure : response.statusCode() + " " + response.body()));
                    }
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return latencies;
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
