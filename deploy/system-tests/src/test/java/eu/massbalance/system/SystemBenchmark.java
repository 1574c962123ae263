package eu.massbalance.system;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.Postgres;
import eu.massbalance.testinfra.ServiceProcess;
import eu.massbalance.testinfra.TestKafka;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Every figure of the ingestion, read and recovery targets in one run, on one machine, one part
 * after the other (each part has the machine to itself):
 * <ol>
 * <li>failover: a projection instance of two killed with kill -9, the time until its sites are
 * served again ({@link FailoverBenchmark});</li>
 * <li>ingestion against its physical reference, REST batch endpoint and ERP topic
 * ({@link IngestionBenchmark});</li>
 * <li>end-to-end latency at a steady rate: deliveries posted in batches on a fixed schedule (open
 * loop) for a minute, each timed from its 202 to the commit of the transaction that wrote its
 * movement row (PostgreSQL's commit timestamp, same clock);</li>
 * <li>the movement list (100 rows with their portions) at a fixed rate, open loop;</li>
 * <li>a replay of the whole ledger topic, topped up to two million events, from offset 0 into a
 * fresh projection; one site holds a million movements in one open period;</li>
 * <li>closing that period: from the close request on the log to the commit of the closed balance.</li>
 * </ol>
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl deploy/system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=eu.massbalance.system.SystemBenchmark -Drepository.root=$PWD \
 *   [-Dexec.args="deliveries-per-ingestion-path replay-events movements-in-the-closed-period"]
 * </pre>
 * Figures go to {@code deploy/system-tests/target/benchmark-system.txt} and stdout.
 */
public final class SystemBenchmark {

    /** The target's rate, then a lower one, to show the latency of the pipe when the machine is not saturated. */
    static final List<Integer> STEADY_RATES = List.of(5_000, 2_000);
    static final int STEADY_SECONDS = 60;
    static final int STEADY_WARM_UP_SECONDS = 10;
    static final int STEADY_SITES = 10;
    /** A batch every 10 ms: 50 deliveries at 5,000 a second. */
    static final int STEADY_BATCHES_PER_SECOND = 100;
    /** The target's rate, then one this machine can serve. */
    static final List<Integer> LIST_RATES = List.of(1_000, 300);
    static final int LIST_RATE = LIST_RATES.get(0);
    static final int LIST_SECONDS = 30;
    /**
     * The replaying projection holds a site of a million movements in one open period in memory
     * (every delivery id and claim of the period, for the close): with 1 GB it spent half its time
     * in full collections. It gets the heap such a site needs.
     */
    static final List<String> REPLAY_JVM = List.of("-Xmx4g", "-Xmn1g", "-XX:+UseParallelGC");

    public static void main(String[] args) throws Exception {
        int deliveries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long replayEvents = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000;
        int closeMovements = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        StringBuilder report = new StringBuilder(String.format("System benchmark (%s, %d cores, JDK %s; broker, PostgreSQL, both"
                        + " services and the load generator on the same machine)%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        Consumer<String> print = line -> {
            report.append(line);
            System.out.print(line);
        };
        String run = UUID.randomUUID().toString().substring(0, 6);
        try {
            run(report, print, run, deliveries, replayEvents, closeMovements);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // the in-JVM broker's threads would keep the JVM alive
        }
        System.exit(0);
    }

    static void run(StringBuilder report, Consumer<String> print, String run, int deliveries, long replayEvents, int closeMovements)
            throws Exception {
        try (SystemUnderTest system = new SystemUnderTest()) {
            system.projection.close();
            system.projection = null;

            print.accept("\n1. Failover of the projection (two instances, one killed with kill -9)\n");
            print.accept("   " + FailoverBenchmark.round(system, "8000"));

            print.accept("\n2. Ingestion (" + String.format("%,d", deliveries) + " deliveries over 10 sites per path; projection stopped)\n");
            system.ledger.close();
            system.ledger = system.startLedger(ThroughputBenchmark.PROJECTION_JVM);
            system.ledger.awaitReady(Duration.ofMinutes(2));
            IngestionBenchmark.ingestion(system, run, deliveries, 10, print);

            print.accept("\n3. End-to-end at a steady rate\n");
            String database = "steady_" + run;
            ServiceProcess projection = system.startProjection(database, "projection-steady-" + run, ThroughputBenchmark.PROJECTION_JVM);
            system.projection = projection;
            try {
                projection.awaitReady(Duration.ofMinutes(2));
                caughtUp(system, database, Duration.ofMinutes(10));
                List<String> sites = null;
                for (int rate : STEADY_RATES) {
                    List<String> steadySites = steady(system, database, run, rate, print);
                    sites = sites == null ? steadySites : sites;
                }

                print.accept("\n4. Movement list, 100 rows with their portions, " + String.format("%,d", LIST_RATE) + " requests/s\n");
                movementList(system, database, sites, print);
            } finally {
                projection.close();
                system.projection = null;
            }

            print.accept("\n5. Replay from offset 0 into a fresh projection, and 6. closing a period of "
                    + String.format("%,d", closeMovements) + " movements\n");
            replayAndClose(system, run, replayEvents, closeMovements, print);
        }
        Path out = SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target");
        Files.createDirectories(out);
        Files.writeString(out.resolve("benchmark-system.txt"), report.toString());
    }

    // ------------------------------------------------------------------ 3. steady end-to-end

    static String steadyDelivery(String id, int i, int perBatch) {
        if (i == 0) {
            String ship = String.valueOf(25 * perBatch);
            return """
                    {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "2025-01-02T06:00:00+01:00", "product": "HVO",
                     "quantity": {"amount": "%s", "unit": "m3"}, "supplierId": "steady-supplier", "transportDocument": "BL-%s",
                     "sustainable": [{"batchId": "B-%s", "amount": "%s", "characteristics": {"profile": "raw-material-v1",
                      "rawMaterial": "UCO", "countryOfOrigin": "NL", "ghgEmissions": {"amount": "12", "unit": "gCO2e/MJ"}}}]}"""
                    .formatted(id, ship, id, id, ship);
        }
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-01-05T07:40:00+01:00", "product": "HVO",
                 "quantity": {"amount": "30", "unit": "m3"}, "customerId": "haulier-12", "useArea": "TRANSPORT",
                 "taxLiability": true, "sustainable": [{"amount": "25"}]}""".formatted(id);
    }

    /**
     * Batch k (rate / 100 deliveries: a ship, then trucks drawing 25 m3 each, so
     * that a site keeps a few batches on hand, as a depot does) is due at start + k x 10 ms at
     * site k mod 10; whichever of eight clients is free sends it. Returns the sites.
     */
    static List<String> steady(SystemUnderTest system, String database, String run, int rate, Consumer<String> print)
            throws Exception {
        List<String> sites = new ArrayList<>();
        for (int s = 0; s < STEADY_SITES; s++) {
            sites.add("steady-" + run + "-" + rate + "-" + s);
            system.registerSite(sites.get(s), "2025-01", "HVO");
        }
        system.put(system.ledger, "/api/v1/suppliers/steady-supplier/certificates/C-" + run + "-" + rate,
                "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2024-01-01\"}");
        int perBatch = rate / STEADY_BATCHES_PER_SECOND;
        int batches = STEADY_BATCHES_PER_SECOND * (STEADY_WARM_UP_SECONDS + STEADY_SECONDS);
        List<String> bodies = new ArrayList<>(batches);
        for (int k = 0; k < batches; k++) {
            List<String> batch = new ArrayList<>(perBatch);
            for (int i = 0; i < perBatch; i++) {
                batch.add(steadyDelivery("S" + k + "-" + i, i, perBatch));
            }
            bodies.add("{\"deliveries\": [" + String.join(",", batch) + "]}");
        }
        long[] acceptedMicros = new long[batches];
        long[] lateNanos = new long[batches];
        AtomicLong next = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        long interval = 1_000_000_000L / STEADY_BATCHES_PER_SECOND;
        ExecutorService clients = Executors.newFixedThreadPool(8);
        java.time.Duration ledgerCpu = system.ledger.cpuTime();
        java.time.Duration projectionCpu = system.projection.cpuTime();
        long start = System.nanoTime() + 50_000_000L;
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            running.add(clients.submit(() -> {
                for (int k = (int) next.getAndIncrement(); k < batches; k = (int) next.getAndIncrement()) {
                    long due = start + k * interval;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    lateNanos[k] = System.nanoTime() - due;
                    HttpResponse<String> response = system.post(system.ledger, "/api/v1/sites/" + sites.get(k % STEADY_SITES)
                            + "/deliveries:batch", bodies.get(k));
                    acceptedMicros[k] = micros(Instant.now());
                    if (response.statusCode() != 202 || !response.body().contains("\"accepted\":" + perBatch)) {
                        if (failures.incrementAndGet() == 1) {
                            System.out.println("first failure: " + response.statusCode() + " " + response.body());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        // every movement committed, then each one's commit time from PostgreSQL
        String url = system.jdbcUrl(database);
        long expected = (long) batches * perBatch;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (Connection c = DriverManager.getConnection(url, Postgres.USER, Postgres.PASSWORD)) {
            while (ThroughputBenchmark.scalar(c, "SELECT count(*) FROM movement WHERE site_id LIKE 'steady-" + run + "-" + rate + "-%'") < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Not every steady delivery was booked within 5 minutes");
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            ledgerCpu = system.ledger.cpuTime().minus(ledgerCpu);
            projectionCpu = system.projection.cpuTime().minus(projectionCpu);
            int warmUp = STEADY_BATCHES_PER_SECOND * STEADY_WARM_UP_SECONDS;
            long[] latencies = new long[(batches - warmUp) * perBatch];
            int n = 0;
            try (PreparedStatement select = c.prepareStatement("SELECT delivery_id,"
                    + " (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint FROM movement WHERE site_id = ?")) {
                for (String site : sites) {
                    select.setString(1, site);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(1);
                            int k = Integer.parseInt(id.substring(1, id.indexOf('-')));
                            if (k >= warmUp) {
                                latencies[n++] = (rs.getLong(2) - acceptedMicros[k]) * 1000;
                            }
                        }
                    }
                }
            }
            Arrays.sort(latencies, 0, n);
            long[] late = Arrays.copyOfRange(lateNanos, warmUp, batches);
            Arrays.sort(late);
            print.accept(String.format("   %,d deliveries/s: %,d deliveries in batches of %d every %d ms for %d s (+%d s warm-up, not counted), over %d"
                            + " sites; sent in %.1f s; %d batches failed%n", rate, (long) n, perBatch, 1000 / STEADY_BATCHES_PER_SECOND,
                    STEADY_SECONDS, STEADY_WARM_UP_SECONDS, STEADY_SITES, sendSeconds, failures.get()));
            print.accept(String.format("   accepted (202) to movement committed: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                            + " (target p99 < 300 ms)%n", ms(latencies, n, 50), ms(latencies, n, 90), ms(latencies, n, 99),
                    ms(latencies, n, 100)));
            print.accept(String.format("   a batch sent after its time: p99 %.1f ms, max %.1f ms; CPU over the run: ledger-service %.1f s,"
                            + " projection %.1f s of %.0f core-s%n", late[late.length * 99 / 100] / 1e6, late[late.length - 1] / 1e6,
                    ledgerCpu.toMillis() / 1000.0, projectionCpu.toMillis() / 1000.0,
                    sendSeconds * Runtime.getRuntime().availableProcessors()));
        }
        return sites;
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static double ms(long[] sortedNanos, int n, int percentile) {
        if (n == 0) {
            return Double.NaN;
        }
        int index = percentile >= 100 ? n - 1 : (int) Math.ceil(n * percentile / 100.0) - 1;
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    // ------------------------------------------------------------------ 4. the movement list

    /**
     * Pages of 100 from all over the site's list (every 100th movement as {@code after}, in a random
     * order), so that what is measured is the read path, not one page kept warm.
     */
    static void movementList(SystemUnderTest system, String database, List<String> sites, Consumer<String> print) throws Exception {
        URI base = URI.create(system.projection.url());
        List<String> paths = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(system.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD);
             PreparedStatement select = c.prepareStatement("SELECT seq FROM movement WHERE site_id = ? ORDER BY seq")) {
            for (String site : sites) {
                select.setString(1, site);
                try (ResultSet rs = select.executeQuery()) {
                    for (int row = 0; rs.next(); row++) {
                        if (row % 100 == 0) {
                            paths.add("/api/v1/sites/" + site + "/movements?limit=100&after=" + rs.getLong(1));
                        }
                    }
                }
            }
        }
        java.util.Collections.shuffle(paths, new Random(1));
        HttpResponse<String> sample = system.get(system.projection, paths.get(0));
        com.fasterxml.jackson.databind.JsonNode page = LedgerJson.mapper().readTree(sample.body());
        int rows = page.path("items").size();
        int portions = 0;
        for (com.fasterxml.jackson.databind.JsonNode item : page.path("items")) {
            portions += item.path("portions").size();
        }
        List<String> headers = List.of("Authorization: " + SystemUnderTest.BEARER);
        AtomicInteger errors = new AtomicInteger();
        OpenLoop.run(base, "GET", paths, headers, new byte[0], LIST_RATE / 4, 15, 8, errors); // warm-up
        print.accept(String.format("   %,d different pages of %d sites (a page: %d rows, %d portions, %,d bytes of JSON); open loop for"
                        + " %d s on 8 connections a rate, after 15 s of warm-up%n", paths.size(), sites.size(), rows, portions,
                sample.body().getBytes(StandardCharsets.UTF_8).length, LIST_SECONDS));
        for (int rate : LIST_RATES) {
            errors.set(0);
            java.time.Duration cpu = system.projection.cpuTime();
            double[] cpuBefore = IngestionBenchmark.cpu(system);
            long start = System.nanoTime();
            long[] latencies = OpenLoop.run(base, "GET", paths, headers, new byte[0], rate, LIST_SECONDS, 8, errors);
            double seconds = ThroughputBenchmark.seconds(start);
            cpu = system.projection.cpuTime().minus(cpu);
            double[] cpuAfter = IngestionBenchmark.cpu(system);
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            print.accept(String.format("   %,d requests/s: answered %,.0f/s; p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d errors (target p99 <"
                            + " 20 ms at 1,000/s); CPU a request: projection %.2f ms, PostgreSQL %.2f ms, load generator and broker"
                            + " %.2f ms%n", rate, latencies.length / seconds, ms(sorted, sorted.length, 50), ms(sorted, sorted.length, 99),
                    ms(sorted, sorted.length, 100), errors.get(), cpu.toNanos() / 1e6 / latencies.length,
                    (cpuAfter[2] - cpuBefore[2]) * 1000 / latencies.length, (cpuAfter[1] - cpuBefore[1]) * 1000 / latencies.length));
        }
    }

    // ------------------------------------------------------------------ 5. replay, 6. close

    static void replayAndClose(SystemUnderTest system, String run, long replayEvents, int closeMovements, Consumer<String> print)
            throws Exception {
        String big = "big-" + run;
        long onTopic = ProjectionCrashTestSupport.endOffsets();
        long start = System.nanoTime();
        Map<String, Object> config = new java.util.HashMap<>(TestKafka.as(KafkaAccess.LEDGER_SERVICE));
        config.putAll(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262144,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        long produced = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            produced += bigSite(big, closeMovements, e -> send(producer, e));
            // the rest of the two million over 20 ordinary sites, a year of monthly periods each
            long rest = Math.max(0, replayEvents - onTopic - produced);
            int sites = 20;
            for (int s = 0; s < sites && rest > 0; s++) {
                List<LedgerEvent> events = ThroughputBenchmark.generate((int) Math.min(Integer.MAX_VALUE, rest / (sites - s)), 1,
                        run + "r" + s, new Random(s));
                for (LedgerEvent e : events) {
                    send(producer, e);
                }
                produced += events.size();
                rest -= events.size();
            }
            producer.flush();
        }
        long total = ProjectionCrashTestSupport.endOffsets();
        print.accept(String.format("   produced %,d events in %.1f s; the ledger topic holds %,d; one site (%s) has %,d movements in"
                + " its open period 2024-01%n", produced, ThroughputBenchmark.seconds(start), total, big, closeMovements));

        String database = "replay_" + run;
        long launched = System.nanoTime();
        ServiceProcess fresh = system.startProjection(database, "projection-replay-" + run, REPLAY_JVM);
        try {
            // not its readiness: that says "not ready" until the projection has nearly caught up (ProjectionLag)
            long firstCommit;
            long first;
            try (Connection watch = DriverManager.getConnection(system.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (ThroughputBenchmark.scalar(watch, "SELECT count(*) FROM consumer_offset") == 0) {
                    if (!fresh.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("The fresh projection did not commit a first batch; see its log");
                    }
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
                firstCommit = System.nanoTime();
                first = ThroughputBenchmark.scalar(watch, "SELECT coalesce(sum(next_offset), 0) FROM consumer_offset");
            }
            double ready = ThroughputBenchmark.seconds(launched);
            caughtUp(system, database, Duration.ofMinutes(30), fresh);
            double replay = ThroughputBenchmark.seconds(firstCommit);
            java.time.Duration cpu = fresh.cpuTime();
            print.accept(String.format("   replay of %,d events from offset 0: %.1f min from JVM start (first batch committed after %.1f s); %,d events"
                            + " after the first commit in %.1f s = %,.0f events/s; projection JVM %s, CPU %.0f s%n", total,
                    ThroughputBenchmark.seconds(launched) / 60, ready, total - first, replay, (total - first) / replay,
                    String.join(" ", REPLAY_JVM), cpu.toMillis() / 1000.0));

            // 6. the close request on the log, timed to the commit of the closed balance
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                long requested = micros(Instant.now());
                send(producer, new PeriodCloseRequested(big, YearMonth.of(2024, 1), "benchmark"));
                producer.flush();
                String sql = "SELECT (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint FROM period_balance"
                        + " WHERE site_id = '" + big + "' AND period_id = '2024-01' AND status = 'CLOSED'";
                long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                try (Connection watch = DriverManager.getConnection(system.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD)) {
                    long closed;
                    while ((closed = ThroughputBenchmark.scalar(watch, sql)) == 0) {
                        if (System.nanoTime() > deadline || !fresh.isAlive()) {
                            throw new IllegalStateException("The period was not closed within 15 minutes, or the projection"
                                    + " stopped; see its log");
                        }
                        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                    }
                    long movements = ThroughputBenchmark.scalar(watch, "SELECT count(*) FROM movement WHERE site_id = '" + big + "'");
                    print.accept(String.format("   closing period 2024-01 of %s (%,d movements): %.2f s from the close request sent to the"
                            + " closed balance committed%n", big, movements, (closed - requested) / 1e6));
                }
            }
        } finally {
            fresh.close();
        }
    }

    /** One site, one monthly period (January 2024), {@code movements} deliveries: an inbound, then trucks until it runs low. */
    static long bigSite(String site, int movements, Consumer<LedgerEvent> out) {
        out.accept(new SiteConfigured(site, site, "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2024, 1), null,
                List.of(new SiteConfigured.ProductConfig("HVO", Unit.M3)), List.of(), null, null, null, null));
        out.accept(new CertificateRegistered(site, "supplier", "C", "ISCC EU", LocalDate.of(2020, 1, 1), null, List.of()));
        BigDecimal stock = BigDecimal.ZERO;
        Random random = new Random(7);
        for (int i = 0; i < movements; i++) {
            OffsetDateTime at = OffsetDateTime.of(2024, 1, 1 + (int) ((long) i * 30 / movements), 8, 0, 0, 0, ZoneOffset.ofHours(1));
            if (stock.compareTo(BigDecimal.valueOf(100)) < 0) {
                BigDecimal size = BigDecimal.valueOf(3000 + random.nextInt(2000));
                out.accept(new InboundDelivery(site, "IN-" + i, at, "HVO", new Quantity(size, Unit.M3), "supplier", "BL-" + i,
                        List.of(new BatchLine(site + "-" + i, size, ThroughputBenchmark.characteristics("HVO"))), null, null));
                stock = stock.add(size);
            } else {
                BigDecimal truck = BigDecimal.valueOf(30 + random.nextInt(11));
                BigDecimal claim = truck.subtract(BigDecimal.valueOf(random.nextInt(5)));
                out.accept(new OutboundDelivery(site, "OUT-" + i, at, "HVO", new Quantity(truck, Unit.M3), "haulier", "TRANSPORT",
                        true, List.of(BatchLine.claim(claim.toPlainString())), null, null));
                stock = stock.subtract(claim);
            }
        }
        return movements + 2L;
    }

    static void send(KafkaProducer<String, String> producer, LedgerEvent e) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEDGER, e.siteId(), LedgerJson.write(e));
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_source", "urn:benchmark".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", e.eventType().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    /** Waits until the projection in {@code database} has committed every record on the ledger topic. */
    static void caughtUp(SystemUnderTest system, String database, Duration limit) throws Exception {
        caughtUp(system, database, limit, system.projection);
    }

    static void caughtUp(SystemUnderTest system, String database, Duration limit, ServiceProcess projection) throws Exception {
        long total = ProjectionCrashTestSupport.endOffsets();
        long deadline = System.nanoTime() + limit.toNanos();
        try (Connection watch = DriverManager.getConnection(system.jdbcUrl(database), Postgres.USER, Postgres.PASSWORD)) {
            while (ThroughputBenchmark.scalar(watch, "SELECT coalesce(sum(next_offset), 0) FROM consumer_offset") < total) {
                if (System.nanoTime() > deadline || !projection.isAlive()) {
                    throw new IllegalStateException("The projection did not catch up within " + limit + ", or stopped");
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
    }

    private SystemBenchmark() {
    }
}
