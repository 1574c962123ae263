package eu.massbalance.projection.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.testinfra.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
// public: its profile is shared by the store tests, so Quarkus starts once for both
public class ProjectionFlowTest {

    /**
     * The test's webhook receiver. JUnit and Quarkus load this class in two class loaders, so the
     * receiver is started once per JVM (its port in a system property) and asked over HTTP what
     * it received.
     */
    static List<String> hooked() {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + webhookPort() + "/received")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.isEmpty() ? List.of() : List.of(body.split("\n"));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized int webhookPort() {
        String port = System.getProperty("test.webhook.port");
        if (port != null) {
            return Integer.parseInt(port);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            List<String> received = new CopyOnWriteArrayList<>();
            server.createContext("/hook", exchange -> {
                // the signature, a tab, the body: the test checks one against the other
                received.add(exchange.getRequestHeaders().getFirst("X-Massbalance-Signature") + "\t"
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.createContext("/received", exchange -> {
                byte[] body = String.join("\n", received).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            System.setProperty("test.webhook.port", String.valueOf(server.getAddress().getPort()));
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String WEBHOOK_SECRET = "test-webhook-secret";

    public static class WithWebhook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("projection.webhooks.urls", "http://localhost:" + webhookPort() + "/hook",
                    "projection.webhooks.secrets", WEBHOOK_SECRET,
                    "projection.webhooks.every", "1s", "projection.outbox.every", "1s");
        }
    }

    /** The organisation of the tests' sites, and a reader of it: a compliance officer who is also the admin. */
    public static final String ORG = "test-org";
    public static final String READER = "Bearer " + Tokens.test(new Tokens.Principal("officer-anna", ORG, null,
            java.util.Set.of("compliance-officer", "admin"), List.of()));

    /** Every request of the read tests carries {@link #READER}'s token. */
    public static void authenticate() {
        io.restassured.RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader("Authorization", READER).build();
    }

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        authenticate();
    }


    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    io.smallrye.reactive.messaging.kafka.KafkaClientService kafkaClients;

    public static SiteConfigured site(String id) {
        return new SiteConfigured(id, "Depot", "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2025, 1), null,
                List.of(new SiteConfigured.ProductConfig("HVO", Unit.M3)), List.of(), null, null, null, null).withOrganisation(ORG);
    }

    public static InboundDelivery in(String site, String id, String date, String amount, String batch) {
        return new InboundDelivery(site, id, OffsetDateTime.parse(date + "T10:00:00+01:00"), "HVO", Quantity.of(amount, Unit.M3),
                "supplier", "CMR-" + id, List.of(new BatchLine(batch, new BigDecimal(amount), eu.massbalance.contracts.Characteristics.of(
                "red-biofuel-v1", Map.of("countryOfOrigin", "NL", "rawMaterial", "UCO", "proofOfSustainability", "PoS-" + id)))),
                null, null);
    }

    public static OutboundDelivery out(String site, String id, String date, String amount) {
        return new OutboundDelivery(site, id, OffsetDateTime.parse(date + "T10:00:00+01:00"), "HVO", Quantity.of(amount, Unit.M3),
                "haulier", "TRANSPORT", true, List.of(BatchLine.claim(amount)), null, null);
    }

    public static CertificateRegistered certificate(String site) {
        return new CertificateRegistered(site, "supplier", "C-1", "ISCC EU", LocalDate.of(2024, 1, 1), null, List.of());
    }

    @Test
    void a_negative_balance_is_MINOR_its_repetition_MAJOR_and_the_MAJOR_one_reaches_webhook_and_stream() throws Exception {
        String site = "flow-" + UUID.randomUUID();
        // the stream is live from the end of the deviations topic: wait until this instance reads it
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                !kafkaClients.getConsumer("deviations-in").getAssignments().await().atMost(Duration.ofSeconds(5)).isEmpty());
        List<String> streamed = new CopyOnWriteArrayList<>();
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/deviations/stream"))
                        .header("Accept", "text/event-stream").header("Authorization", READER).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().filter(l -> l.startsWith("data:")).forEach(streamed::add));
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(site(site), certificate(site),
                    in(site, "I1", "2025-01-03", "10", "A"),
                    out(site, "O1", "2025-01-20", "25"),
                    new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().get("/api/v1/deviations?siteId={s}", site).then().statusCode(200)
                            .body("items", hasSize(1))
                            .body("items[0].rule", equalTo("NEGATIVE_BALANCE_AT_PERIOD_END"))
                            .body("items[0].deviationClass", equalTo("MINOR"))
                            .body("items[0].quantity", equalTo("15")));
            given().get("/api/v1/sites/{s}/periods/2025-01/balance", site).then().statusCode(200)
                    .body("status", equalTo("CLOSED"))
                    .body("products[0].claimed", equalTo("25"))
                    .body("products[0].out", equalTo("10"))
                    .body("products[0].uncovered", equalTo("15"))
                    .body("products[0].closing", equalTo("0"));

            feed.send(out(site, "O2", "2025-02-10", "5"), new PeriodCloseRequested(site, YearMonth.of(2025, 2), "officer"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().get("/api/v1/deviations?siteId={s}&class=MAJOR", site).then().statusCode(200)
                            .body("items", hasSize(1))
                            .body("items[0].upgradedFrom", equalTo("MINOR")));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hooked().stream().anyMatch(h -> h.contains(site)));
        assertTrue(hooked().stream().filter(h -> h.contains(site) && h.contains("deviationId"))
                .allMatch(h -> h.contains("\"deviationClass\":\"MAJOR\"")));
        for (String hook : hooked().stream().filter(h -> h.contains(site)).toList()) {
            String[] signatureAndBody = hook.split("\t", 2);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertEquals("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(signatureAndBody[1].getBytes(StandardCharsets.UTF_8))),
                    signatureAndBody[0], "each call is signed with the subscriber's secret");
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> streamed.stream().anyMatch(s -> s.contains(site)));
        assertTrue(streamed.stream().filter(s -> s.contains(site)).allMatch(s -> s.contains("MAJOR")));
        given().get("/api/v1/webhooks/deliveries?state=delivered").then().statusCode(200)
                .body("findAll { it.url.endsWith('/hook') }.state", org.hamcrest.Matchers.everyItem(equalTo("DELIVERED")));
    }

    @Test
    void the_service_cannot_change_the_journal_and_a_row_changed_behind_its_back_is_reported_as_the_first_broken_link() throws Exception {
        String site = "audit-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(site(site), certificate(site), in(site, "I1", "2025-01-03", "10", "A"), out(site, "O1", "2025-01-04", "4"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/sites/{s}/audit/verify", site).then().body("events", equalTo(4)).body("intact", equalTo(true)));
        String tamper = "UPDATE journal SET payload = replace(payload, '\"10\"', '\"100\"') WHERE site_id = '" + site + "' AND seq = 3";
        // the service's own role may only append to the journal
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.executeUpdate(tamper));
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
        }
        // an insider with the database's superuser rights switches the append-only triggers off and changes a row
        try (Connection c = asInsider(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate(tamper));
        }
        given().get("/api/v1/sites/{s}/audit/verify", site).then().statusCode(200)
                .body("intact", equalTo(false)).body("firstBrokenSeq", equalTo(3));
    }

    @Test
    void every_kind_of_refusal_reaches_the_status_resource_the_refusal_list_the_outcome_topic_and_the_webhook() throws Exception {
        String site = "fate-" + UUID.randomUUID();
        InboundDelivery pendingConflict = new InboundDelivery(site, "P-LATER", OffsetDateTime.parse("2025-02-03T10:00:00+01:00"), "HVO",
                Quantity.of("5", Unit.M3), "supplier", "CMR-P", List.of(new BatchLine("X", new BigDecimal("5"),
                eu.massbalance.contracts.Characteristics.of("red-biofuel-v1", Map.of("countryOfOrigin", "NL", "rawMaterial", "UCO",
                        "proofOfSustainability", "PoS-P")))), null, null);
        InboundDelivery sameBatchOtherCharacteristics = new InboundDelivery(site, "I-NOW", OffsetDateTime.parse("2025-01-05T10:00:00+01:00"),
                "HVO", Quantity.of("3", Unit.M3), "supplier", "CMR-N", List.of(new BatchLine("X", new BigDecimal("3"),
                eu.massbalance.contracts.Characteristics.of("red-biofuel-v1", Map.of("countryOfOrigin", "DE", "rawMaterial", "Tallow",
                        "proofOfSustainability", "PoS-N")))), null, null);
        InboundDelivery highEmissions = new InboundDelivery(site, "I-GHG", OffsetDateTime.parse("2025-01-06T10:00:00+01:00"), "HVO",
                Quantity.of("4", Unit.M3), "supplier", "CMR-G", List.of(new BatchLine("G", new BigDecimal("4"),
                eu.massbalance.contracts.Characteristics.of("red-biofuel-v1", Map.of("countryOfOrigin", "NL", "rawMaterial", "UCO",
                        "proofOfSustainability", "PoS-G", "ghgEmissions", eu.massbalance.contracts.Measure.of("70", "gCO2e/MJ"))))),
                null, null);
        OutboundDelivery unknownProduct = new OutboundDelivery(site, "O-FAME", OffsetDateTime.parse("2025-01-07T10:00:00+01:00"), "FAME",
                Quantity.of("1", Unit.M3), "haulier", "TRANSPORT", true, List.of(BatchLine.claim("1")), null, null);
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(site(site), certificate(site), pendingConflict, sameBatchOtherCharacteristics, highEmissions, unknownProduct,
                    new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer-anna"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/refusals", site)
                .then().statusCode(200).body("items.kind", equalTo(List.of("BATCH", "EVENT", "RELEASE"))));

        // the status of each delivery
        given().get("/api/v1/sites/{s}/deliveries/{d}", site, "O-FAME").then().statusCode(200)
                .body("state", equalTo("REFUSED")).body("refusals[0].kind", equalTo("EVENT")).body("events[0].eventType",
                        equalTo("OutboundDelivery"));
        given().get("/api/v1/sites/{s}/deliveries/{d}", site, "I-GHG").then().statusCode(200)
                .body("state", equalTo("BOOKED")).body("periodId", equalTo("2025-01")).body("sustainable", equalTo("0"))
                .body("refusals[0].code", equalTo("GHG_SAVING_BELOW_THRESHOLD")).body("refusals[0].batchId", equalTo("G"));
        given().get("/api/v1/sites/{s}/deliveries/{d}", site, "P-LATER").then().statusCode(200)
                .body("state", equalTo("REFUSED")).body("refusals[0].kind", equalTo("RELEASE"))
                .body("refusals[0].periodId", equalTo("2025-02"));
        given().get("/api/v1/sites/{s}/deliveries/{d}", site, "I-NOW").then().statusCode(200)
                .body("state", equalTo("BOOKED")).body("refusals", hasSize(0)).body("portions[0].kind", equalTo("RECEIVED"));
        given().get("/api/v1/sites/{s}/deliveries/{d}", site, "NEVER-SENT").then().statusCode(404)
                .body("code", equalTo("DELIVERY_UNKNOWN"));
        // the list, by code and by period
        given().get("/api/v1/sites/{s}/refusals?code=GHG_SAVING_BELOW_THRESHOLD", site).then().statusCode(200)
                .body("items.reference", equalTo(List.of("I-GHG")));
        given().get("/api/v1/sites/{s}/refusals?period=2025-02", site).then().statusCode(200)
                .body("items.reference", equalTo(List.of("P-LATER")));
        given().get("/api/v1/sites/{s}/refusals?period=February", site).then().statusCode(400);

        // the organisation's outcome topic: each refusal once
        Map<String, Object> config = new java.util.HashMap<>(eu.massbalance.testinfra.TestKafka.as(
                eu.massbalance.testinfra.KafkaAccess.erpPrincipal(ORG)));
        config.put("group.id", eu.massbalance.testinfra.KafkaAccess.erpPrincipal(ORG) + "-" + UUID.randomUUID());
        config.put("auto.offset.reset", "earliest");
        List<eu.massbalance.contracts.output.RefusalNotice> notices = new java.util.ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of(eu.massbalance.contracts.Topics.outcomes(ORG)));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (site.equals(r.key())) {
                        notices.add(eu.massbalance.contracts.json.LedgerJson.read(r.value(),
                                eu.massbalance.contracts.output.RefusalNotice.class));
                    }
                });
                return notices.size() >= 3;
            });
        }
        assertEquals(List.of("BATCH", "EVENT", "RELEASE"), notices.stream().map(eu.massbalance.contracts.output.RefusalNotice::kind)
                .sorted().toList());
        assertEquals("R-19", notices.stream().filter(n -> n.kind().equals("BATCH")).findFirst().orElseThrow().rule());
        // and the webhook
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                hooked().stream().filter(h -> h.contains(site) && h.contains("\"kind\"")).count() >= 3);
    }

    @Test
    void an_opening_stock_is_drawn_first_and_stock_counts_beyond_the_tolerance_are_deviations() {
        String site = "live-" + UUID.randomUUID();
        InboundDelivery inbound = in(site, "I1", "2025-01-05", "200", "A");
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(site(site), certificate(site),
                    new eu.massbalance.contracts.event.OpeningStockDeclared(site, "HVO", List.of(new BatchLine("OLD", new BigDecimal("30"),
                            inbound.sustainable().get(0).characteristics().with("countryOfOrigin", "SE"))), "officer-anna"),
                    inbound, out(site, "O1", "2025-01-10", "50"),
                    new eu.massbalance.contracts.event.StockCounted(site, "HVO", Quantity.of("180.9", Unit.M3),
                            OffsetDateTime.parse("2025-01-20T18:00:00+01:00"), "DIP", null, "officer-anna"),
                    new eu.massbalance.contracts.event.StockCounted(site, "HVO", Quantity.of("178", Unit.M3),
                            OffsetDateTime.parse("2025-01-21T18:00:00+01:00"), "DIP", null, "officer-anna"));
        }
        // 30 opening + 200 in − 50 out = 180 by the books: 180.9 is within 0.5 %, 178 is not
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/deviations?siteId={s}", site)
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].rule", equalTo("STOCK_COUNT_DIFFERENCE"))
                .body("items[0].deviationClass", equalTo("OBSERVATION")));
        given().get("/api/v1/sites/{s}/deliveries/O1", site).then().statusCode(200)
                .body("portions.batchId", equalTo(List.of("OLD", "A"))).body("portions.amount", equalTo(List.of("30", "20")));
        given().get("/api/v1/sites/{s}/deliveries/OPENING-HVO", site).then().statusCode(200).body("state", equalTo("BOOKED"));
    }

    @Test
    void an_organisation_without_an_outcome_topic_holds_up_no_deviation_notice() {
        String site = "notopic-" + UUID.randomUUID();
        OutboundDelivery unknownProduct = new OutboundDelivery(site, "O-FAME", OffsetDateTime.parse("2025-01-07T10:00:00+01:00"), "FAME",
                Quantity.of("1", Unit.M3), "haulier", "TRANSPORT", true, List.of(BatchLine.claim("1")), null, null);
        try (LedgerFeed feed = new LedgerFeed()) {
            // an organisation whose outcome topic no operator created: its refusal cannot be published
            feed.send(site(site).withOrganisation("org-without-topics"), certificate(site), unknownProduct,
                    out(site, "O1", "2025-01-10", "5"), new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
        }
        Map<String, Object> config = new java.util.HashMap<>(eu.massbalance.testinfra.TestKafka.admin());
        config.put("group.id", "notopic-" + UUID.randomUUID());
        config.put("auto.offset.reset", "earliest");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of(eu.massbalance.contracts.Topics.DEVIATIONS));
            List<String> notices = new java.util.ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (site.equals(r.key())) {
                        notices.add(r.value());
                    }
                });
                return !notices.isEmpty();
            });
            assertTrue(notices.get(0).contains("NEGATIVE_BALANCE_AT_PERIOD_END"), notices.get(0));
        }
    }

    /** A connection with the database's superuser rights, the journal's append-only triggers switched off. */
    static Connection asInsider() throws java.sql.SQLException {
        Connection c = java.sql.DriverManager.getConnection(eu.massbalance.testinfra.Postgres.shared().jdbcUrl(
                eu.massbalance.testinfra.PostgresTestResource.DATABASE), eu.massbalance.testinfra.Postgres.USER,
                eu.massbalance.testinfra.Postgres.PASSWORD);
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
        }
        return c;
    }

    @Test
    void an_insider_who_recomputes_the_chain_or_drops_the_last_events_is_caught_by_the_comparison_with_the_log() throws Exception {
        String rewritten = "insider-" + UUID.randomUUID();
        String truncated = "insider-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            for (String site : List.of(rewritten, truncated)) {
                feed.send(site(site), certificate(site), in(site, "I1", "2025-01-03", "10", "A"), out(site, "O1", "2025-01-04", "4"));
            }
        }
        for (String site : List.of(rewritten, truncated)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/audit/verify", site)
                    .then().body("events", equalTo(4)).body("intact", equalTo(true)).body("log.checked", equalTo(true))
                    .body("log.records", equalTo(4)));
        }
        try (Connection c = asInsider(); Statement s = c.createStatement()) {
            // event 3 rewritten (10 received becomes 100) and every later hash recomputed: the chain holds again
            List<String> payloads = new java.util.ArrayList<>();
            try (var rs = s.executeQuery("SELECT payload FROM journal WHERE site_id = '" + rewritten + "' ORDER BY seq")) {
                while (rs.next()) {
                    payloads.add(rs.getString(1));
                }
            }
            payloads.set(2, payloads.get(2).replace("\"10\"", "\"100\""));
            eu.massbalance.projection.engine.HashChain chain = new eu.massbalance.projection.engine.HashChain();
            for (int i = 0; i < payloads.size(); i++) {
                String hash = java.util.HexFormat.of().formatHex(chain.append(payloads.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                try (var update = c.prepareStatement("UPDATE journal SET payload = ?, hash = ? WHERE site_id = ? AND seq = ?")) {
                    update.setString(1, payloads.get(i));
                    update.setString(2, hash);
                    update.setString(3, rewritten);
                    update.setLong(4, i + 1);
                    assertEquals(1, update.executeUpdate());
                }
            }
            // the last event dropped: what is left is a chain of its own
            assertEquals(1, s.executeUpdate("DELETE FROM journal WHERE site_id = '" + truncated + "' AND seq = 4"));
        }
        given().get("/api/v1/sites/{s}/audit/verify", rewritten).then().statusCode(200)
                .body("intact", equalTo(false)).body("firstBrokenSeq", equalTo(3)).body("log.matches", equalTo(false));
        given().get("/api/v1/sites/{s}/audit/verify", truncated).then().statusCode(200)
                .body("intact", equalTo(false)).body("events", equalTo(3)).body("firstBrokenSeq", equalTo(4))
                .body("log.matches", equalTo(false));
    }

    @Test
    void a_duplicated_event_changes_nothing_and_the_stock_trace_and_point_in_time_balance_agree() {
        String site = "dup-" + UUID.randomUUID();
        InboundDelivery inbound = in(site, "I1", "2025-01-03", "10", "A");
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(site(site), certificate(site), inbound, out(site, "O1", "2025-01-04", "4"), inbound);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/sites/{s}/audit/verify", site).then().body("events", equalTo(5)));
        given().get("/api/v1/sites/{s}/stock", site).then().statusCode(200)
                .body("", hasSize(1)).body("[0].batchId", equalTo("A")).body("[0].onHand", equalTo("6"))
                .body("[0].characteristics.countryOfOrigin", equalTo("NL"));
        given().get("/api/v1/sites/{s}/periods/2025-01/balance", site).then()
                .body("products[0].in", equalTo("10")).body("products[0].out", equalTo("4"));
        given().get("/api/v1/sites/{s}/periods/2025-01/balance?asOf=3", site).then().statusCode(200)
                .body("asOfSeq", equalTo(3)).body("balance.products[0].in", equalTo("10")).body("balance.products[0].out", equalTo("0"));
        given().get("/api/v1/sites/{s}/batches/A/trace", site).then().statusCode(200)
                .body("lines.kind", equalTo(List.of("RECEIVED", "DRAWN")))
                .body("lines[0].proofOfSustainability", equalTo("PoS-I1"))
                .body("lines[0].supplierId", equalTo("supplier"))
                .body("lines[1].customerId", equalTo("haulier"));
        given().get("/api/v1/sites/{s}/movements", site).then().statusCode(200)
                .body("items", hasSize(2)).body("items[1].portions[0].batchId", equalTo("A"));
    }

    private static InboundDelivery inWith(String site, String id, String date, String amount, String batch, String ghg,
                                          String transport) {
        return new InboundDelivery(site, id, OffsetDateTime.parse(date + "T10:00:00+01:00"), "HVO", Quantity.of(amount, Unit.M3),
                "supplier", "CMR-" + id, List.of(new BatchLine(batch, new BigDecimal(amount), eu.massbalance.contracts.Characteristics.of(
                "red-biofuel-v1", Map.of("countryOfOrigin", "NL", "rawMaterial", "UCO",
                        "ghgEmissions", eu.massbalance.contracts.Measure.of(ghg, "gCO2e/MJ"),
                        "transportEmissions", eu.massbalance.contracts.Measure.of(transport, "gCO2e/MJ"))))),
                null, null);
    }

    @Test
    void every_outcome_is_stored_as_a_fact_refused_batches_releases_merges_and_uncovered_claims() throws Exception {
        String site = "facts-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(site(site), certificate(site),
                    inWith(site, "F1", "2025-02-02", "5", "T1", "12.5", "1.5"),
                    inWith(site, "I1", "2025-01-03", "10", "T1", "12", "1"),
                    inWith(site, "I2", "2025-01-04", "10", "T2", "12.5", "1.5"),
                    inWith(site, "I3", "2025-01-05", "10", "BAD", "60", "1"),
                    new eu.massbalance.contracts.event.BatchesMerged(site, "HVO", List.of("T1", "T2"), "M", "one tank", "officer"),
                    new OutboundDelivery(site, "O1", OffsetDateTime.parse("2025-01-20T10:00:00+01:00"), "HVO", Quantity.of("26", Unit.M3),
                            "haulier", "TRANSPORT", true, List.of(BatchLine.claim("M", "26")), null, null),
                    new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/sites/{s}/audit/verify", site).then().body("events", equalTo(9)));
        List<String> refusals = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT kind, reference, batch_id, code FROM refusal WHERE site_id = '" + site
                     + "' ORDER BY seq, ordinal")) {
            while (rs.next()) {
                refusals.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        assertEquals(List.of("BATCH I3 BAD GHG_SAVING_BELOW_THRESHOLD", "RELEASE F1 null BATCH_CHARACTERISTICS_CONFLICT"), refusals,
                "R-19: the batch refused for its GHG value; R-09: F1 meets T1's other characteristics when February opens");
        given().get("/api/v1/sites/{s}/movements", site).then().statusCode(200)
                .body("items.find { it.deliveryId == 'F1' }.status", equalTo("REFUSED"))
                .body("items.find { it.deliveryId == 'O1' }.uncovered", equalTo("6"))
                .body("items.find { it.deliveryId == 'O1' }.openClaim", equalTo("0"));
        given().get("/api/v1/sites/{s}/batches/M/trace", site).then().statusCode(200)
                .body("changes.kind", equalTo(List.of("MERGED_FROM", "MERGED_FROM")))
                .body("changes.otherBatchId", equalTo(List.of("T1", "T2")))
                .body("lines.kind", equalTo(List.of("DRAWN", "UNCOVERED")))
                .body("lines[0].amount", equalTo("20"))
                .body("lines[1].amount", equalTo("6"))
                .body("lines[0].uncovered", equalTo("6"));
        given().get("/api/v1/sites/{s}/batches/T2/trace", site).then().statusCode(200)
                .body("changes[0].kind", equalTo("MERGED_INTO")).body("changes[0].otherBatchId", equalTo("M"))
                .body("changes[0].amount", equalTo("10"));
    }

    @Test
    void an_outbounds_recycled_content_per_element_follows_the_batches_it_drew() {
        String site = "refinery-" + UUID.randomUUID();
        SiteConfigured refinery = new SiteConfigured(site, "Refinery", "556677-8899", "Europe/Stockholm", 1, java.time.YearMonth.of(2025, 1),
                null, List.of(new SiteConfigured.ProductConfig("NICKEL_SULPHATE", Unit.KG)), List.of(), null, null, null, null)
                .withOrganisation(ORG);
        java.util.function.BiFunction<String, Map<String, Object>, InboundDelivery> batch = (id, fractions) -> {
            Map<String, Object> fields = new java.util.HashMap<>(fractions);
            fields.putAll(Map.of("material", "NICKEL_SULPHATE", "countryOfOrigin", "FI", "recyclingFacility", "Recycler AB",
                    "dueDiligenceStatus", "VERIFIED", "carbonFootprintMethod", "PEF"));
            return new InboundDelivery(site, id, OffsetDateTime.parse("2025-01-0" + id.length() + "T10:00:00+01:00"), "NICKEL_SULPHATE",
                    Quantity.of("1000", Unit.KG), "supplier", "CMR-" + id, List.of(new BatchLine(id, new BigDecimal("1000"),
                    eu.massbalance.contracts.Characteristics.of("battery-material-v1", fields))), null, null);
        };
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(refinery, certificate(site),
                    batch.apply("NI-A", Map.of("contentNi", "0.22", "recycledSharePreConsumer", "0.10", "recycledSharePostConsumer", "0.20")),
                    batch.apply("NI-BB", Map.of("contentNi", "0.20", "contentCo", "0.05", "recycledSharePreConsumer", "0",
                            "recycledSharePostConsumer", "0.5")),
                    new OutboundDelivery(site, "CELL-1", OffsetDateTime.parse("2025-01-20T10:00:00+01:00"), "NICKEL_SULPHATE",
                            Quantity.of("1500", Unit.KG), "cathode-plant", "INDUSTRY", false, List.of(BatchLine.claim("1500")), null, null));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/v1/sites/{s}/deliveries/CELL-1/recycled-content", site).then().statusCode(200)
                .body("kilograms", equalTo("1500"))
                .body("batches", equalTo(List.of("NI-A", "NI-BB")))
                .body("elements.element", equalTo(List.of("Co", "Ni")))
                .body("elements[1].kilograms", equalTo("320"))
                .body("elements[1].recycledPreConsumerKg", equalTo("22"))
                .body("elements[1].recycledPostConsumerKg", equalTo("94"))
                .body("elements[1].recycledShare", equalTo("0.3625"))
                .body("elements[0].recycledShare", equalTo("0.5")));
        given().get("/api/v1/sites/{s}/deliveries/NOPE/recycled-content", site).then().statusCode(404);
    }
}
