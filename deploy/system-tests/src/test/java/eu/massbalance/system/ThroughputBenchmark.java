package eu.massbalance.system;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
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
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The throughput benchmark, broker and database included, on this machine. Not a test: run
 * <pre>
 * ./mvnw -q install -DskipTests
 * ./mvnw -q -pl deploy/system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=eu.massbalance.system.ThroughputBenchmark -Drepository.root=$PWD [-Dexec.args="200000 20"]
 * </pre>
 * N deliveries for M sites are put on the ledger topic; a fresh projection-service (its own
 * database and consumer group) is then timed until it has applied and committed them all
 * (projection = rebuild-from-offset-0 throughput); as the physical reference, a raw Kafka consumer
 * writes the same journal, movement and portion rows with PostgreSQL COPY into the same tables.
 * Then ledger-service's batch
 * endpoint is timed (ingestion), and single deliveries are timed from POST to their movement row
 * (end-to-end latency). Figures go to {@code deploy/system-tests/target/benchmark.txt}.
 */
public final class ThroughputBenchmark {

    /** The measured projection gets the heap a production instance would have, with a parallel young collector. */
    static final List<String> PROJECTION_JVM = List.of("-Xmx1g", "-Xmn512m", "-XX:+UseParallelGC");

    public static void main(String[] args) throws Exception {
        int deliveries = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int sites = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        StringBuilder report = new StringBuilder();
        report.append(String.format("Mass-balance ledger benchmark (%s, %d cores, JDK %s)%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        try (SystemUnderTest system = new SystemUnderTest()) {
            String run = UUID.randomUUID().toString().substring(0, 6);
            List<LedgerEvent> events = generate(deliveries, sites, run, new Random(42));
            long start = System.nanoTime();
            produce(events);
            report.append(String.format("generated and produced %,d events (%,d deliveries, %d sites) onto %s in %.1f s%n",
                    events.size(), deliveries, sites, Topics.LEDGER, seconds(start)));

            // the projection already running consumed them meanwhile; stop it so that the fresh one has the machine
            system.projection.close();
            String db = "bench_" + run;
            long total = ProjectionCrashTestSupport.endOffsets();
            long launched = System.nanoTime();
            ServiceProcess fresh = system.startProjection(db, "projection-bench-" + run, PROJECTION_JVM);
            long first;
            try {
                fresh.awaitReady(Duration.ofMinutes(2));
                double startup = seconds(launched);
                // one connection for watching: a new one every few milliseconds would cost the database more than the query
                try (Connection watch = DriverManager.getConnection(system.jdbcUrl(db), Postgres.USER, Postgres.PASSWORD)) {
                    // from the first committed batch to the last: the projection's own pace, without JVM start and group join
                    while (scalar(watch, "SELECT count(*) FROM consumer_offset") == 0) {
                        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                    }
                    start = System.nanoTime();
                    first = scalar(watch, "SELECT count(*) FROM journal");
                    while (scalar(watch, "SELECT coalesce(sum(next_offset), 0) FROM consumer_offset") < total) {
                        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                    }
                }
                double projection = seconds(start);
                long applied = Db.count(system.jdbcUrl(db), "SELECT count(*) FROM journal");
                report.append(String.format("projection (fresh database and consumer group, from offset 0): %,d events applied and"
                        + " committed; %,d of them after the first commit in %.1f s = %,.0f events/s (JVM start to ready: %.1f s,"
                        + " to caught up: %.1f s; JVM options %s)%n", applied, applied - first, projection, (applied - first) / projection,
                        startup, seconds(launched), String.join(" ", PROJECTION_JVM)));
            } finally {
                fresh.close();
            }

            double[] raw = rawReference(Postgres.shared().database("raw_" + run));
            report.append(String.format("raw reference (KafkaConsumer + Jackson + COPY of the same journal, movement and portion rows"
                    + " into the same tables, measured the same way): %,.0f events after the first commit in %.1f s = %,.0f events/s%n", raw[0], raw[1], raw[0] / raw[1]));

            system.projection = system.startProjection();
            system.projection.awaitReady(Duration.ofMinutes(2));
            report.append(ingestion(system, run));
            report.append(latency(system, run));
        }
        System.out.print(report);
        Path out = Path.of(System.getProperty("repository.root", "."), "deploy/system-tests/target");
        Files.createDirectories(out);
        Files.writeString(out.resolve("benchmark.txt"), report.toString());
        // the in-JVM broker's threads would keep the JVM (and its CPU use) alive after the run
        System.exit(0);
    }

    static long scalar(Connection c, String sql) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (java.sql.SQLException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return 0; // the schema is not there yet
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    // ------------------------------------------------------------------ the stream

    static List<LedgerEvent> generate(int deliveries, int sites, String run, Random random) {
        List<LedgerEvent> events = new ArrayList<>();
        int perSite = deliveries / sites;
        int perMonth = Math.max(500, perSite / 12);
        for (int s = 0; s < sites; s++) {
            String site = "bench-" + run + "-" + s;
            events.add(new SiteConfigured(site, site, "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2024, 1), null,
                    List.of(new SiteConfigured.ProductConfig("HVO", Unit.M3), new SiteConfigured.ProductConfig("FAME", Unit.M3)),
                    List.of(), null, null, null, null));
            events.add(new CertificateRegistered(site, "supplier", "C", "ISCC EU", LocalDate.of(2020, 1, 1), null, List.of()));
            YearMonth month = YearMonth.of(2024, 1);
            BigDecimal[] stock = {BigDecimal.ZERO, BigDecimal.ZERO};
            for (int i = 0; i < perSite; i++) {
                if (i > 0 && i % perMonth == 0) {
                    events.add(new PeriodCloseRequested(site, month, "scheduler"));
                    month = month.plusMonths(1);
                }
                int p = random.nextInt(2);
                String product = p == 0 ? "HVO" : "FAME";
                OffsetDateTime at = month.atDay(1 + (i % perMonth) * 27 / perMonth).atTime(8, 0).atOffset(ZoneOffset.ofHours(1));
                if (stock[p].compareTo(BigDecimal.valueOf(300)) < 0) {
                    BigDecimal size = BigDecimal.valueOf(3000 + random.nextInt(2000));
                    events.add(new InboundDelivery(site, "IN-" + i, at, product, new Quantity(size, Unit.M3), "supplier", "BL-" + i,
                            List.of(new BatchLine(site + "-" + product + "-" + i, size, characteristics(product))), null, null));
                    stock[p] = stock[p].add(size);
                } else {
                    BigDecimal truck = BigDecimal.valueOf(30 + random.nextInt(11));
                    BigDecimal claim = truck.subtract(BigDecimal.valueOf(random.nextInt(5)));
                    events.add(new OutboundDelivery(site, "OUT-" + i, at, product, new Quantity(truck, Unit.M3), "haulier",
                            "TRANSPORT", true, List.of(BatchLine.claim(claim.toPlainString())), null, null));
                    stock[p] = stock[p].subtract(claim);
                }
            }
        }
        return events;
    }

    static Characteristics characteristics(String product) {
        return Characteristics.of("red-biofuel-v1", Map.of("fuelCategory", product, "rawMaterial", "Used cooking oil",
                "countryOfOrigin", "NL", "rawMaterialGroup", "OTHER", "annexIX", "B", "residueOrWaste", true,
                "celluloseType", "NONE", "ghgEmissions", Measure.of("14.2", "gCO2e/MJ"), "ghgMethod", "ACTUAL",
                "installationStart", "2012-05-01"));
    }

    /** Writes the events onto the ledger topic as ledger-service would (its principal, the one the broker lets write it). */
    static void produce(List<LedgerEvent> events) throws Exception {
        Map<String, Object> config = new java.util.HashMap<>(TestKafka.as(KafkaAccess.LEDGER_SERVICE));
        config.putAll(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262144, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (LedgerEvent e : events) {
                SystemBenchmark.send(producer, e);
            }
            producer.flush();
        }
    }

    // ------------------------------------------------------------------ the physical reference

    /**
     * Reads the whole ledger topic and writes the same rows the projection writes for it — journal
     * rows with their chain hash, movement rows, portion rows — with COPY into the projection's own
     * tables (its migrations, so the same indexes), a transaction per poll, without the engine,
     * the framework or any pipelining. Returns how many events it wrote after its first commit and
     * in how many seconds.
     */
    static double[] rawReference(String jdbcUrl) throws Exception {
        long total = ProjectionCrashTestSupport.endOffsets();
        // a bare consumer, signed in as the broker's super user so that its group is its own
        Map<String, Object> consumerConfig = new java.util.HashMap<>(TestKafka.admin());
        consumerConfig.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "raw-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        long seen = 0;
        long first = -1;
        long start = 0;
        Map<String, long[]> seqs = new java.util.HashMap<>();
        Map<String, byte[]> heads = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, Postgres.USER, Postgres.PASSWORD);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig,
                     new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            try (Statement s = c.createStatement()) {
                List<Path> migrations;
                try (var files = Files.list(SystemUnderTest.REPOSITORY.resolve("projection-service/src/main/resources/db/migration"))) {
                    migrations = files.sorted(java.util.Comparator.comparingInt(f ->
                            Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1")))).toList();
                }
                for (Path migration : migrations) {
                    s.execute(Files.readString(migration));
                }
            }
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
            consumer.subscribe(List.of(Topics.LEDGER));
            while (seen < total) {
                StringBuilder journal = new StringBuilder();
                StringBuilder movements = new StringBuilder();
                StringBuilder portions = new StringBuilder();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = LedgerJson.mapper().readTree(r.value());
                    String site = r.key();
                    long seq = ++seqs.computeIfAbsent(site, k -> new long[1])[0];
                    sha256.update(heads.getOrDefault(site, new byte[0]));
                    byte[] hash = sha256.digest(r.value());
                    heads.put(site, hash);
                    String type = event.path("eventType").asText();
                    journal.append(site).append('\t').append(seq).append('\t')
                            .append(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)).append('\t')
                            .append(type).append('\t').append(r.partition()).append('\t').append(r.offset()).append('\t')
                            .append(java.time.Instant.ofEpochMilli(r.timestamp())).append('\t')
                            .append(new String(r.value(), StandardCharsets.UTF_8).replace("\\", "\\\\").replace("\t", "\\t")
                                    .replace("\n", "\\n"))
                            .append('\t').append(java.util.HexFormat.of().formatHex(hash)).append("\t\\N\t\\N\n");
                    if (event.has("deliveryId")) {
                        boolean inbound = type.startsWith("Inbound");
                        String delivery = event.path("deliveryId").asText();
                        String product = event.path("product").asText();
                        String occurred = event.path("occurredAt").asText();
                        BigDecimal quantity = new BigDecimal(event.path("quantity").path("amount").asText());
                        BigDecimal sustainable = BigDecimal.ZERO;
                        int ordinal = 0;
                        for (JsonNode line : event.path("sustainable")) {
                            BigDecimal amount = new BigDecimal(line.path("amount").asText());
                            sustainable = sustainable.add(amount);
                            portions.append(site).append('\t').append(delivery).append('\t').append(seq).append('\t')
                                    .append(ordinal++).append('\t').append(inbound ? "RECEIVED" : "DRAWN").append('\t')
                                    .append(line.path("batchId").asText("-")).append('\t').append(product).append('\t')
                                    .append(amount.toPlainString()).append('\n');
                        }
                        movements.append(site).append('\t').append(delivery).append('\t').append(seq).append('\t')
                                .append(inbound ? "INBOUND" : "OUTBOUND").append("\tBOOKED\t").append(occurred).append('\t')
                                .append(occurred, 0, 7).append('\t').append(occurred, 0, 7).append('\t').append(product).append('\t')
                                .append(event.path("quantity").path("unit").asText()).append('\t').append(quantity.toPlainString())
                                .append('\t').append(sustainable.toPlainString()).append('\t')
                                .append(quantity.subtract(sustainable).toPlainString()).append("\t0\tf\t").append(seq).append('\n');
                    }
                    seen++;
                }
                copy.copyIn("COPY journal (site_id, seq, event_id, event_type, kafka_partition, kafka_offset, recorded_at, payload,"
                        + " hash, refusal_code, refusal_message) FROM STDIN", new StringReader(journal.toString()));
                copy.copyIn("COPY movement (site_id, delivery_id, seq, direction, status, occurred_at, period_id, dated_period,"
                        + " product, unit, quantity, sustainable, non_sustainable, open_claim, late, event_seq) FROM STDIN",
                        new StringReader(movements.toString()));
                copy.copyIn("COPY portion (site_id, delivery_id, seq, ordinal, kind, batch_id, product, amount) FROM STDIN",
                        new StringReader(portions.toString()));
                c.commit();
                if (first < 0 && seen > 0) {
                    first = seen;
                    start = System.nanoTime();
                }
            }
        }
        return new double[] {seen - first, seconds(start)};
    }

    // ------------------------------------------------------------------ ingestion and latency

    static String ingestion(SystemUnderTest system, String run) {
        String site = "ingest-" + run;
        system.registerSite(site, "2025-01", "HVO");
        int calls = 20;
        long start = System.nanoTime();
        for (int call = 0; call < calls; call++) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add("""
                        {"deliveryId": "B%d-%d", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00", "product": "HVO",
                         "quantity": {"amount": "30", "unit": "m3"}, "sustainable": [{"amount": "25"}]}""".formatted(call, i));
            }
            HttpResponse<String> response = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries:batch",
                    "{\"deliveries\": [" + String.join(",", batch) + "]}");
            if (response.statusCode() != 202) {
                throw new IllegalStateException(response.body());
            }
        }
        double s = seconds(start);
        return String.format("ingestion (ledger-service batch endpoint, %d calls of 1,000 deliveries, validated, deduplicated in"
                + " PostgreSQL, acknowledged by Kafka): %,.0f deliveries/s%n", calls, calls * 1000 / s);
    }

    static String latency(SystemUnderTest system, String run) {
        String site = "latency-" + run;
        system.registerSite(site, "2025-01", "HVO");
        String db = system.jdbcUrl("projection");
        int samples = 200;
        long[] micros = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", """
                    {"deliveryId": "L-%d", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00", "product": "HVO",
                     "quantity": {"amount": "30", "unit": "m3"}, "sustainable": []}""".formatted(i));
            while (Db.count(db, "SELECT count(*) FROM movement WHERE site_id = ? AND delivery_id = ?", site, "L-" + i) == 0) {
                LockSupport.parkNanos(1_000_000);
            }
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        return String.format("end-to-end latency (POST to ledger-service until the movement row is committed by the projection,"
                        + " %d sequential deliveries): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", samples,
                micros[samples / 2] / 1000.0, micros[samples * 95 / 100] / 1000.0, micros[samples * 99 / 100] / 1000.0,
                micros[samples - 1] / 1000.0);
    }

    private ThroughputBenchmark() {
    }
}
