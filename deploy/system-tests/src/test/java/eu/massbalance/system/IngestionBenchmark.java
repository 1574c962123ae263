package eu.massbalance.system;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.testinfra.Postgres;
import eu.massbalance.testinfra.TestKafka;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Ingestion against its physical reference, in one run on the same machine. The reference does the
 * least any ingestion must: a bare KafkaProducer with ledger-service's settings (idempotent,
 * acks=all, linger 5 ms) sends the same serialized events with the same CloudEvent headers, keyed
 * by site, and the same idempotency rows go into a copy of {@code accepted_delivery} by COPY, one
 * transaction per 1,000. Then ledger-service takes the same number of deliveries through its REST
 * batch endpoint (two clients, 1,000 per call) and through the ERP topic. projection-service is
 * stopped meanwhile, so that both sides have the machine. Run (with {@code -Dbenchmark.jfr=true} for
 * a flight recording of ledger-service in {@code deploy/system-tests/target/service-logs/}):
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl deploy/system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=eu.massbalance.system.IngestionBenchmark -Drepository.root=$PWD [-Dexec.args="100000 10"]
 * </pre>
 * Figures go to {@code deploy/system-tests/target/benchmark-ingestion.txt}.
 */
public final class IngestionBenchmark {

    static final int PER_CALL = 1_000;

    public static void main(String[] args) throws Exception {
        int deliveries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int sites = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        StringBuilder report = new StringBuilder();
        report.append(String.format("Ingestion benchmark (%s, %d cores, JDK %s): %,d deliveries over %d sites per path%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), deliveries, sites));
        try (SystemUnderTest system = new SystemUnderTest()) {
            system.projection.close();
            system.projection = null;
            // ledger-service with the JVM the projection's benchmark uses, not the system tests' small one
            system.ledger.close();
            system.ledger = system.startLedger(ThroughputBenchmark.PROJECTION_JVM);
            system.ledger.awaitReady(Duration.ofMinutes(2));
            ingestion(system, UUID.randomUUID().toString().substring(0, 6), deliveries, sites, report::append);
        }
        System.out.print(report);
        Path out = Path.of(System.getProperty("repository.root", "."), "deploy/system-tests/target");
        Files.createDirectories(out);
        Files.writeString(out.resolve("benchmark-ingestion.txt"), report.toString());
        System.exit(0);
    }

    /** The reference, the REST batch endpoint and the ERP topic, one after the other, with the CPU each process used. */
    static void ingestion(SystemUnderTest system, String run, int deliveries, int sites, java.util.function.Consumer<String> print)
            throws Exception {
        print.accept("ledger-service JVM options: " + String.join(" ", ThroughputBenchmark.PROJECTION_JVM) + "\n");
        double reference = reference(system, run, deliveries, sites);
        print.accept(String.format("physical reference (bare idempotent acks=all producer, same events and headers keyed by"
                + " site; the idempotency rows by COPY, a transaction per 1,000): %,.0f deliveries/s%n", reference));
        print.accept(lastCpu);
        double rest = rest(system, run, deliveries, sites);
        print.accept(String.format("ledger-service REST batch endpoint (2 clients, %,d per call; validated, deduplicated in"
                + " PostgreSQL, acknowledged by Kafka): %,.0f deliveries/s = %.2f x the reference%n", PER_CALL, rest, rest / reference));
        print.accept(lastCpu);
        double erp = erpTopic(system, run, deliveries, sites);
        print.accept(String.format("ledger-service ERP topic path (records already on the topic, from the first to the last"
                + " accepted): %,.0f deliveries/s = %.2f x the reference%n", erp, erp / reference));
        print.accept(lastCpu);
    }

    static String delivery(String id) {
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00", "product": "HVO",
                 "quantity": {"amount": "30", "unit": "m3"}, "customerId": "haulier-12", "useArea": "TRANSPORT",
                 "taxLiability": true, "sustainable": [{"amount": "25"}]}""".formatted(id);
    }

    // ------------------------------------------------------------------ the physical reference

    static double reference(SystemUnderTest system, String run, int deliveries, int sites) throws Exception {
        String topic = "bench.ingest-reference." + run;
        try (Admin admin = Admin.create(TestKafka.admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(topic + ".warm-up", 3, (short) 1))).all().get();
        }
        // the events as ledger-service writes them, prepared before the clock starts (ledger-service makes them from JSON)
        List<String> keys = new ArrayList<>(deliveries);
        List<String> payloads = new ArrayList<>(deliveries);
        List<String> ids = new ArrayList<>(deliveries);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        StringBuilder rows = new StringBuilder();
        List<String> copies = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            String site = "ref-" + run + "-" + (i % sites);
            OutboundDelivery event = new OutboundDelivery(site, "R-" + i, OffsetDateTime.parse("2025-03-05T07:40:00+01:00"), "HVO",
                    new Quantity(new BigDecimal("30"), Unit.M3), "haulier-12", "TRANSPORT", true,
                    List.of(BatchLine.claim("25")), null, null, "system-tester via system-erp", null);
            String json = LedgerJson.write(event);
            String id = UUID.nameUUIDFromBytes(("delivery/" + site + "/R-" + i).getBytes(StandardCharsets.UTF_8)).toString();
            keys.add(site);
            payloads.add(json);
            ids.add(id);
            rows.append(site).append('\t').append("R-").append(i).append('\t').append(id).append('\t')
                    .append(HexFormat.of().formatHex(sha.digest(json.getBytes(StandardCharsets.UTF_8)))).append("\tAPPENDED\tOUTBOUND\n");
            if ((i + 1) % PER_CALL == 0 || i == deliveries - 1) {
                copies.add(rows.toString());
                rows.setLength(0);
            }
        }
        String db = Postgres.shared().database("ingest_ref_" + run);
        try (Connection c = DriverManager.getConnection(db, Postgres.USER, Postgres.PASSWORD)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE accepted_delivery (site_id TEXT NOT NULL, delivery_id TEXT NOT NULL, event_id UUID NOT NULL,"
                        + " payload_hash TEXT NOT NULL, accepted_at TIMESTAMPTZ NOT NULL DEFAULT now(), status TEXT NOT NULL,"
                        + " direction TEXT, PRIMARY KEY (site_id, delivery_id))");
            }
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            Map<String, Object> config = new java.util.HashMap<>(TestKafka.admin());
            config.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 5));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                // warm-up, as ledger-service gets one: the same records to a topic of their own, and COPY into a scratch table
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE warm_up (LIKE accepted_delivery INCLUDING ALL)");
                }
                for (int call = 0; call < Math.min(20, copies.size()); call++) {
                    List<java.util.concurrent.Future<?>> acks = new ArrayList<>(PER_CALL);
                    for (int i = call * PER_CALL; i < Math.min(deliveries, (call + 1) * PER_CALL); i++) {
                        acks.add(producer.send(new ProducerRecord<>(topic + ".warm-up", keys.get(i), payloads.get(i))));
                    }
                    copy.copyIn("COPY warm_up (site_id, delivery_id, event_id, payload_hash, status, direction) FROM STDIN",
                            new StringReader(copies.get(call)));
                    for (java.util.concurrent.Future<?> ack : acks) {
                        ack.get();
                    }
                    c.commit();
                }
                double[] cpu = cpu(system);
                long start = System.nanoTime();
                for (int call = 0; call < copies.size(); call++) {
                    List<java.util.concurrent.Future<?>> acks = new ArrayList<>(PER_CALL);
                    for (int i = call * PER_CALL; i < Math.min(deliveries, (call + 1) * PER_CALL); i++) {
                        ProducerRecord<String, String> record = new ProducerRecord<>(topic, keys.get(i), payloads.get(i));
                        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
                        record.headers().add("ce_id", ids.get(i).getBytes(StandardCharsets.UTF_8));
                        record.headers().add("ce_source", "urn:massbalance:ledger-service".getBytes(StandardCharsets.UTF_8));
                        record.headers().add("ce_type", "massbalance.OutboundDelivery.v1".getBytes(StandardCharsets.UTF_8));
                        record.headers().add("ce_subject", keys.get(i).getBytes(StandardCharsets.UTF_8));
                        acks.add(producer.send(record));
                    }
                    copy.copyIn("COPY accepted_delivery (site_id, delivery_id, event_id, payload_hash, status, direction) FROM STDIN",
                            new StringReader(copies.get(call)));
                    for (java.util.concurrent.Future<?> ack : acks) {
                        ack.get();
                    }
                    // as ledger-service: committed only once the broker acknowledged
                    c.commit();
                }
                double rate = deliveries / IngestionBenchmark.seconds(start);
                lastCpu = cpuSince(system, cpu, start);
                return rate;
            }
        }
    }

    // ------------------------------------------------------------------ ledger-service

    static double rest(SystemUnderTest system, String run, int deliveries, int sites) throws Exception {
        List<String> siteIds = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            siteIds.add("rest-" + run + "-" + s);
            system.registerSite(siteIds.get(s), "2025-01", "HVO");
        }
        int calls = deliveries / PER_CALL;
        List<String> bodies = new ArrayList<>(calls);
        for (int call = 0; call < calls; call++) {
            List<String> batch = new ArrayList<>(PER_CALL);
            for (int i = 0; i < PER_CALL; i++) {
                batch.add(delivery("B" + call + "-" + i));
            }
            bodies.add("{\"deliveries\": [" + String.join(",", batch) + "]}");
        }
        // warm up: the JIT and the connection pools, on a site of its own
        String warm = "rest-warm-" + run;
        system.registerSite(warm, "2025-01", "HVO");
        for (int call = 0; call < Math.min(20, calls); call++) {
            system.post(system.ledger, "/api/v1/sites/" + warm + "/deliveries:batch", bodies.get(call));
        }
        ExecutorService clients = Executors.newFixedThreadPool(2);
        AtomicInteger next = new AtomicInteger();
        double[] cpu = cpu(system);
        long start = System.nanoTime();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            running.add(CompletableFuture.runAsync(() -> {
                for (int call = next.getAndIncrement(); call < calls; call = next.getAndIncrement()) {
                    HttpResponse<String> response = system.post(system.ledger, "/api/v1/sites/" + siteIds.get(call % sites)
                            + "/deliveries:batch", bodies.get(call));
                    if (response.statusCode() != 202 || !response.body().contains("\"accepted\":" + PER_CALL)) {
                        throw new IllegalStateException(response.statusCode() + " " + response.body().substring(0, 300));
                    }
                }
            }, clients));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get();
        double rate = calls * PER_CALL / seconds(start);
        lastCpu = cpuSince(system, cpu, start);
        clients.shutdown();
        return rate;
    }

    static double erpTopic(SystemUnderTest system, String run, int deliveries, int sites) throws Exception {
        List<String> siteIds = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            siteIds.add("erp-" + run + "-" + s);
            system.registerSite(siteIds.get(s), "2025-01", "HVO");
        }
        // stop ledger-service, fill its ERP topic, then time it from start to the last delivery accepted
        system.ledger.close();
        Map<String, Object> config = new java.util.HashMap<>(TestKafka.as(eu.massbalance.testinfra.KafkaAccess.erpPrincipal(
                SystemUnderTest.ORG)));
        config.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262144));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < deliveries; i++) {
                producer.send(new ProducerRecord<>(Topics.erpDeliveries(SystemUnderTest.ORG), siteIds.get(i % sites),
                        delivery("E-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        system.ledger = system.startLedger(ThroughputBenchmark.PROJECTION_JVM);
        system.ledger.awaitReady(Duration.ofMinutes(2));
        // watched by primary key: whether any site's first record is in, then whether every site's last one is (a
        // site's records are on one partition and accepted in order); counting the rows would load the database
        List<String> firsts = new ArrayList<>();
        List<String> lasts = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            firsts.add("('" + siteIds.get(s) + "', 'E-" + s + "')");
            int last = (deliveries - 1) - Math.floorMod(deliveries - 1 - s, sites);
            lasts.add("('" + siteIds.get(s) + "', 'E-" + last + "')");
        }
        String firstIn = "SELECT count(*) FROM accepted_delivery WHERE (site_id, delivery_id) IN (" + String.join(", ", firsts) + ")";
        String lastIn = "SELECT count(*) FROM accepted_delivery WHERE (site_id, delivery_id) IN (" + String.join(", ", lasts) + ")";
        try (Connection watch = DriverManager.getConnection(system.jdbcUrl("ledger"), Postgres.USER, Postgres.PASSWORD)) {
            while (ThroughputBenchmark.scalar(watch, firstIn) == 0) {
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            }
            double[] cpu = cpu(system);
            long start = System.nanoTime();
            String count = "SELECT count(*) FROM accepted_delivery WHERE site_id LIKE 'erp-" + run + "-%'";
            long first = ThroughputBenchmark.scalar(watch, count); // those already in when the clock started
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (ThroughputBenchmark.scalar(watch, lastIn) < sites) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The ERP topic was not drained within 10 minutes");
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            double rate = (deliveries - first) / seconds(start);
            lastCpu = cpuSince(system, cpu, start);
            if (ThroughputBenchmark.scalar(watch, count) != deliveries) {
                throw new IllegalStateException("Not every ERP delivery was accepted: " + ThroughputBenchmark.scalar(watch, count));
            }
            return rate;
        }
    }

    /** CPU seconds so far: ledger-service, this JVM (the broker and the client), PostgreSQL's processes. */
    static double[] cpu(SystemUnderTest system) {
        double ledger = system.ledger == null ? 0 : system.ledger.cpuTime().toNanos() / 1e9;
        double self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
        double postgres = ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").contains("postgres"))
                .mapToDouble(p -> p.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9).sum();
        return new double[] {ledger, self, postgres};
    }

    static String cpuSince(SystemUnderTest system, double[] before, long startNanos) {
        double[] after = cpu(system);
        double wall = seconds(startNanos);
        return String.format("    CPU over %.1f s (%d cores: %.1f core-s): ledger-service %.1f s, broker and client JVM %.1f s,"
                        + " PostgreSQL %.1f s%n", wall, Runtime.getRuntime().availableProcessors(),
                wall * Runtime.getRuntime().availableProcessors(), after[0] - before[0], after[1] - before[1], after[2] - before[2]);
    }

    static String lastCpu = "";

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private IngestionBenchmark() {
    }
}
