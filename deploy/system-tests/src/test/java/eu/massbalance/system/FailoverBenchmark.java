package eu.massbalance.system;

import eu.massbalance.testinfra.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a dead projection instance keeps its sites waiting. Two instances share the consumer
 * group and the database; one is killed (kill -9, no goodbye to the group); then one delivery is
 * posted at each of twelve sites (spread over every partition), and the time until the last of them
 * is booked is the takeover time. Measured with Kafka's default session timeout (45 s) as the
 * reference and with the projection's own (8 s), one after the other on the same machine.
 *
 * <pre>
 * ./mvnw -pl deploy/system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=eu.massbalance.system.FailoverBenchmark -Drepository.root=$PWD
 * </pre>
 *
 * Figures go to {@code deploy/system-tests/target/failover.txt} and stdout.
 */
public final class FailoverBenchmark {

    static final int SITES = 12;

    public static void main(String[] args) throws Exception {
        StringBuilder report = new StringBuilder(String.format("Projection failover (%s, %d cores, JDK %s)%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        try (SystemUnderTest system = new SystemUnderTest()) {
            system.projection.close(); // the instances measured here are started per round
            for (String timeout : List.of("45000", "8000")) {
                report.append(round(system, timeout));
                System.out.print(report);
            }
        }
        Path out = Path.of(System.getProperty("repository.root", "."), "deploy/system-tests/target");
        Files.createDirectories(out);
        Files.writeString(out.resolve("failover.txt"), report.toString());
        System.exit(0); // the in-JVM broker's threads would keep the JVM alive
    }

    static String round(SystemUnderTest system, String sessionTimeoutMs) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String database = "failover_" + run;
        String group = "projection-failover-" + run; // the projection principal may use groups named projection-*
        Map<String, String> env = Map.of("PROJECTION_SESSION_TIMEOUT_MS", sessionTimeoutMs);
        ServiceProcess first = system.startProjection(database, group, ServiceProcess.SMALL_JVM, env);
        first.awaitReady(Duration.ofMinutes(2));
        ServiceProcess second = system.startProjection(database, group, ServiceProcess.SMALL_JVM, env);
        try {
            second.awaitReady(Duration.ofMinutes(2));
            List<String> sites = new ArrayList<>();
            for (int i = 0; i < SITES; i++) {
                String site = "failover-" + run + "-" + i;
                system.registerSite(site, "2025-01", "HVO");
                sites.add(site);
            }
            // both instances working: a delivery at every site booked
            post(system, sites, "W");
            awaitBooked(system, database, sites, "W", Duration.ofMinutes(2));
            LockSupport.parkNanos(Duration.ofSeconds(5).toNanos()); // the group settled after the second instance joined

            first.kill();
            post(system, sites, "K");
            long[] bookedAfter = awaitBooked(system, database, sites, "K", Duration.ofMinutes(3));
            long[] sorted = bookedAfter.clone();
            Arrays.sort(sorted);
            long waited = sorted.length - Arrays.stream(sorted).filter(t -> t < 2_000).count();
            return String.format("session.timeout.ms=%s: after kill -9 of one of two instances, the last of %d sites' deliveries was"
                            + " booked %.1f s later (median %.1f s; %d of them waited for the takeover, the survivor's were booked"
                            + " at once)%n", sessionTimeoutMs, SITES, sorted[sorted.length - 1] / 1000.0, sorted[sorted.length / 2] / 1000.0,
                    waited);
        } finally {
            second.close();
            first.close();
        }
    }

    static void post(SystemUnderTest system, List<String> sites, String prefix) {
        for (String site : sites) {
            HttpResponse<String> posted = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", """
                    {"deliveryId": "%s-1", "direction": "OUTBOUND", "occurredAt": "2025-01-05T07:40:00+01:00", "product": "HVO",
                     "quantity": {"amount": "3", "unit": "m3"}, "sustainable": []}""".formatted(prefix));
            if (posted.statusCode() != 202) {
                throw new IllegalStateException(posted.body());
            }
        }
    }

    /** Milliseconds from now until each site's delivery is booked in the shared database. */
    static long[] awaitBooked(SystemUnderTest system, String database, List<String> sites, String prefix, Duration limit) {
        long start = System.nanoTime();
        long[] booked = new long[sites.size()];
        Arrays.fill(booked, -1);
        String url = system.jdbcUrl(database);
        while (Arrays.stream(booked).anyMatch(t -> t < 0)) {
            for (int i = 0; i < sites.size(); i++) {
                if (booked[i] < 0 && Db.count(url, "SELECT count(*) FROM movement WHERE site_id = ? AND delivery_id = ?", sites.get(i),
                        prefix + "-1") > 0) {
                    booked[i] = (System.nanoTime() - start) / 1_000_000;
                }
            }
            if (System.nanoTime() - start > limit.toNanos()) {
                throw new IllegalStateException("not booked within " + limit + ": " + Arrays.toString(booked));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // polling the database, a few times a second
        }
        return booked;
    }

    private FailoverBenchmark() {
    }
}
