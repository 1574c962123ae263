package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.massbalance.contracts.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each input once seen to stop the projection for every site, stop ERP ingestion, or answer 500,
 * against both packaged services: it gets a clear 4xx (problem+json with the field and a code) or
 * a rejected record, and a valid delivery posted after it is still booked.
 */
class HostileInputTest extends SystemTest {

    static final ObjectMapper JSON = new ObjectMapper();

    String site;

    @BeforeEach
    void registerSite() {
        site = "hostile-" + UUID.randomUUID();
        system.registerSite(site, "2025-01", "HVO");
    }

    static String outbound(String deliveryId, String occurredAt, String amount) {
        return "{\"deliveryId\": " + deliveryId + ", \"direction\": \"OUTBOUND\", \"occurredAt\": \"" + occurredAt + "\","
                + " \"product\": \"HVO\", \"quantity\": {\"amount\": " + amount + ", \"unit\": \"m3\"},"
                + " \"customerId\": \"haulier\", \"useArea\": \"TRANSPORT\", \"taxLiability\": true, \"sustainable\": []}";
    }

    static String outbound(String deliveryId, String amount) {
        return outbound("\"" + deliveryId + "\"", "2025-01-15T07:40:00+01:00", "\"" + amount + "\"");
    }

    HttpResponse<String> post(String json) {
        return system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", json);
    }

    /** A clear refusal: the status, problem+json, the field and code named, nothing of the implementation. */
    static JsonNode assertProblem(HttpResponse<String> response, int status, String field, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response.headers().toString());
        assertFalse(response.body().contains("java.") || response.body().contains("Exception") || response.body().contains("eu.massbalance"),
                response.body());
        JsonNode problem = JSON.readTree(response.body());
        if (field != null) {
            assertTrue(hasError(problem, field, code), response.body());
        }
        return problem;
    }

    static boolean hasError(JsonNode problem, String field, String code) {
        for (JsonNode error : problem.path("errors")) {
            if (error.path("field").asText().equals(field) && (code == null || error.path("code").asText().equals(code))) {
                return true;
            }
        }
        return false;
    }

    /** A valid delivery posted now is accepted and booked by the projection. */
    void aValidDeliveryIsStillBooked() {
        String id = "VALID-" + UUID.randomUUID();
        HttpResponse<String> accepted = post(outbound(id, "1"));
        assertEquals(202, accepted.statusCode(), accepted.body());
        awaitBooked(site, id);
    }

    static void awaitBooked(String site, String deliveryId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> movements = system.get(system.projection, "/api/v1/sites/" + site + "/movements?limit=1000");
            assertEquals(200, movements.statusCode());
            assertTrue(movements.body().contains("\"deliveryId\":\"" + deliveryId + "\""), movements.body());
        });
    }

    @Test
    void amounts_beyond_what_the_read_models_hold_are_refused_before_any_arithmetic() throws IOException {
        for (String amount : List.of("\"1234567890123456789012345678901234567890\"", "\"1e1000000\"", "\"1e-1000000\"",
                "\"1e999999999\"", "1e999999999", "\"0.0000000001\"")) {
            assertProblem(post(outbound("\"A-" + UUID.randomUUID() + "\"", "2025-03-05T07:40:00+01:00", amount)), 400,
                    "quantity.amount", "AMOUNT_OUT_OF_RANGE");
        }
        String twoLines = outbound("A-LINES", "5").replace("\"sustainable\": []",
                "\"sustainable\": [{\"amount\": \"1e-10000000\"}, {\"amount\": \"1e10000000\"}]");
        JsonNode problem = assertProblem(post(twoLines), 400, "sustainable[0].amount", "AMOUNT_OUT_OF_RANGE");
        assertTrue(hasError(problem, "sustainable[1].amount", "AMOUNT_OUT_OF_RANGE"));
        assertProblem(post(outbound("\"A-LONG\"", "2025-03-05T07:40:00+01:00", "\"" + "9".repeat(100) + "\"")), 400,
                "quantity.amount", "TYPE_MISMATCH");
        aValidDeliveryIsStillBooked();
    }

    @Test
    void dates_out_of_range_or_before_the_first_period_are_refused() throws IOException {
        assertProblem(post(outbound("\"D-1\"", "-999999999-01-01T00:00:00+18:00", "\"1\"")), 400, "occurredAt", "DATE_OUT_OF_RANGE");
        assertProblem(post(outbound("\"D-2\"", "0000-01-05T10:00:00Z", "\"1\"")), 400, "occurredAt", "DATE_OUT_OF_RANGE");
        assertProblem(post(outbound("\"D-3\"", "2024-12-31T10:00:00+01:00", "\"1\"")), 400, "occurredAt", "DATE_BEFORE_FIRST_PERIOD");
        HttpResponse<String> yearZero = system.put(system.ledger, "/api/v1/sites/" + site + "-y0", "{\"name\": \"Depot\","
                + " \"periodMonths\": 1, \"firstPeriod\": \"0000-01\", \"products\": [{\"product\": \"HVO\", \"unit\": \"m3\"}]}");
        assertProblem(yearZero, 400, "firstPeriod", "DATE_OUT_OF_RANGE");
        assertEquals(404, system.get(system.ledger, "/api/v1/sites/" + site + "-y0").statusCode(), "nothing was registered");
        aValidDeliveryIsStillBooked();
    }

    @Test
    void identifiers_with_control_characters_or_lone_surrogates_are_refused_in_bodies_and_paths() throws IOException {
        assertProblem(post(outbound("\"\\u0000\"", "2025-03-05T07:40:00+01:00", "\"1\"")), 400, "deliveryId", "NOT_PRINTABLE");
        assertProblem(post(outbound("\"ERP-\\ud800\"", "2025-03-05T07:40:00+01:00", "\"1\"")), 400, "deliveryId", "NOT_PRINTABLE");
        assertProblem(system.post(system.ledger, "/api/v1/sites/" + site + "/deviations/%00/action-plan", "{\"actionPlan\": \"x\"}"),
                400, "deviationId", "NOT_PRINTABLE");
        assertProblem(system.post(system.ledger, "/api/v1/sites/%00/deliveries", outbound("X", "1")), 400, "siteId", "FORMAT");
        assertProblem(system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries/%00/reversal", "{\"reason\": \"x\"}"),
                400, "deliveryId", "NOT_PRINTABLE");
        assertProblem(system.post(system.ledger, "/api/v1/sites/" + site + "/periods/%00/close", ""), 400, "periodId", "NOT_PRINTABLE");
        assertProblem(system.put(system.ledger, "/api/v1/suppliers/%00/certificates/C", "{}"), 400, "supplierId", "NOT_PRINTABLE");
        assertProblem(system.get(system.projection, "/api/v1/sites/%00/periods"), 400, "siteId", "FORMAT");
        assertProblem(system.get(system.projection, "/api/v1/sites/" + site + "/batches/%00/trace"), 400, "batchId", "NOT_PRINTABLE");
        assertProblem(system.get(system.projection, "/api/v1/deviations?siteId=%00"), 400, "siteId", "NOT_PRINTABLE");
        // a broken percent-escape is refused by the HTTP codec itself, before the application (see HttpLimits)
        for (String requestLine : List.of("GET /api/v1/deviations?siteId=%zz HTTP/1.1", "GET /api/v1/sites/%zz/periods HTTP/1.1")) {
            assertTrue(raw(system.projection.url(), requestLine).startsWith("HTTP/1.1 400"), requestLine);
            assertTrue(raw(system.ledger.url(), requestLine).startsWith("HTTP/1.1 400"), requestLine);
        }
        aValidDeliveryIsStillBooked();
    }

    @Test
    void a_huge_certificate_scheme_is_refused_and_later_sites_still_register() throws IOException {
        String scheme = "S".repeat(1_100_000);
        HttpResponse<String> certificate = system.put(system.ledger, "/api/v1/suppliers/supplier-x/certificates/C-HUGE",
                "{\"scheme\": \"" + scheme + "\", \"validFrom\": \"2025-01-01\"}");
        assertProblem(certificate, 400, "scheme", "TOO_LONG");
        String later = site + "-later";
        system.registerSite(later, "2025-01", "HVO");
        HttpResponse<String> change = system.put(system.ledger, "/api/v1/sites/" + later, "{\"name\": \"" + "N".repeat(300)
                + "\", \"periodMonths\": 1, \"firstPeriod\": \"2025-01\", \"products\": [{\"product\": \"HVO\", \"unit\": \"m3\"}]}");
        assertProblem(change, 400, "name", "TOO_LONG");
        assertTrue(system.get(system.ledger, "/api/v1/sites/" + later).body().contains("\"name\":\"Depot\""), "the site is unchanged");
        aValidDeliveryIsStillBooked();
    }

    @Test
    void oversized_requests_answer_problem_json_and_unmatched_paths_do_not_become_metric_labels() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String longUri = system.ledger.url() + "/api/v1/sites/" + site + "/x" + "y".repeat(5000);
        assertProblem(http.send(HttpRequest.newBuilder(URI.create(longUri)).GET().build(), HttpResponse.BodyHandlers.ofString()),
                414, null, null);
        assertProblem(http.send(HttpRequest.newBuilder(URI.create(system.ledger.url() + "/q/health")).header("X-Big", "b".repeat(20_000))
                .GET().build(), HttpResponse.BodyHandlers.ofString()), 431, null, null);
        String tooLarge = raw(system.ledger.url(), "POST /api/v1/sites/" + site + "/deliveries HTTP/1.1\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + (11 * 1024 * 1024));
        assertTrue(tooLarge.startsWith("HTTP/1.1 413"), tooLarge);
        assertTrue(tooLarge.contains("application/problem+json") && tooLarge.contains("BODY_TOO_LARGE"), tooLarge);
        String marker = "unmatched" + UUID.randomUUID().toString().replace("-", "");
        for (int i = 0; i < 5; i++) {
            system.get(system.ledger, "/api/v1/" + marker + i + "/nothing");
            system.get(system.projection, "/api/v1/" + marker + i + "/nothing");
        }
        assertFalse(system.get(system.ledger, "/q/metrics").body().contains(marker), "raw unmatched paths are no labels");
        assertFalse(system.get(system.projection, "/q/metrics").body().contains(marker), "raw unmatched paths are no labels");
        aValidDeliveryIsStillBooked();
    }

    @Test
    void poison_records_on_the_erp_topic_are_rejected_and_the_valid_records_polled_with_them_are_booked() throws Exception {
        byte[] controlBytes = new byte[200_000];
        java.util.Arrays.fill(controlBytes, (byte) 1);
        byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'};
        byte[] nul = outbound("\"ERP-\\u0000\"", "2025-03-05T07:40:00+01:00", "\"1\"").getBytes(StandardCharsets.UTF_8);
        byte[] surrogate = outbound("\"ERP-\\ud800\"", "2025-03-05T07:40:00+01:00", "\"1\"").getBytes(StandardCharsets.UTF_8);
        String good = "ERP-GOOD-" + UUID.randomUUID();
        long controlOffset;
        long notUtf8Offset;
        try (KafkaProducer<String, byte[]> producer = eu.massbalance.system.Topics.erpProducer()) {
            controlOffset = eu.massbalance.system.Topics.send(producer, SystemUnderTest.ERP_TOPIC, site, controlBytes);
            notUtf8Offset = eu.massbalance.system.Topics.send(producer, SystemUnderTest.ERP_TOPIC, site, notUtf8);
            eu.massbalance.system.Topics.send(producer, SystemUnderTest.ERP_TOPIC, site, nul);
            eu.massbalance.system.Topics.send(producer, SystemUnderTest.ERP_TOPIC, site, surrogate);
            eu.massbalance.system.Topics.send(producer, SystemUnderTest.ERP_TOPIC, site, outbound(good, "2").getBytes(StandardCharsets.UTF_8));
        }
        awaitBooked(site, good);
        List<JsonNode> rejected = eu.massbalance.system.Topics.read(Topics.REJECTED, r -> site.equals(r.key()), 4,
                Duration.ofSeconds(30)).stream().map(HostileInputTest::json).toList();
        assertEquals(4, rejected.size(), rejected.toString());

        JsonNode control = rejected.stream().filter(r -> r.path("sourceOffset").asLong() == controlOffset).findFirst().orElseThrow();
        assertEquals("MALFORMED", control.path("reason").asText());
        assertTrue(control.path("payloadTruncated").asBoolean(), "200,000 escaped control characters would not fit a record");
        assertEquals(200_000, control.path("payloadBytes").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(controlBytes)), control.path("payloadSha256").asText());

        JsonNode bytes = rejected.stream().filter(r -> r.path("sourceOffset").asLong() == notUtf8Offset).findFirst().orElseThrow();
        assertEquals("base64", bytes.path("payloadEncoding").asText());
        assertEquals(List.of((byte) '{', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) '}'),
                toList(Base64.getDecoder().decode(bytes.path("payload").asText())), "byte-exact");

        assertEquals(2, rejected.stream().filter(r -> r.path("reason").asText().equals("INVALID")
                && hasProblem(r, "deliveryId", "NOT_PRINTABLE")).count(), rejected.toString());
        aValidDeliveryIsStillBooked();
    }

    /** A request line no URI class would let through, sent as bytes; the whole answer as text. */
    static String raw(String baseUrl, String requestLine) throws IOException {
        URI base = URI.create(baseUrl);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + "\r\nHost: localhost\r\nAuthorization: " + SystemUnderTest.BEARER
                    + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            // read the answer by its length: the server need not close while a declared body is unsent
            java.io.InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            int expected = -1;
            int b;
            while ((b = in.read()) >= 0) {
                answer.write(b);
                String text = answer.toString(StandardCharsets.ISO_8859_1);
                int headersEnd = text.indexOf("\r\n\r\n");
                if (headersEnd >= 0 && expected < 0) {
                    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                    expected = headersEnd + 4 + (length.find() ? Integer.parseInt(length.group(1)) : 0);
                }
                if (expected >= 0 && answer.size() >= expected) {
                    break;
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    static boolean hasProblem(JsonNode rejected, String field, String code) {
        for (JsonNode p : rejected.path("problems")) {
            if (p.path("field").asText().equals(field) && p.path("code").asText().equals(code)) {
                return true;
            }
        }
        return false;
    }

    static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Byte> toList(byte[] bytes) {
        java.util.ArrayList<Byte> list = new java.util.ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }
}
