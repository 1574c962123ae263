package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.massbalance.contracts.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The robustness suite: thousands of generated hostile inputs against the running services,
 * over REST (deliveries, batches, paths, commands, reads) and on the ERP topic, interleaved with
 * valid deliveries. The properties, checked for every input and at the end:
 * <ul>
 *   <li>no answer is a 5xx; every refusal is problem+json without internals;</li>
 *   <li>no hostile ERP record is lost: each is rejected (on the rejected topic, by its offset) or
 *       appended to the site's log;</li>
 *   <li>no consumer stalls: the projection journals every event of the site's log;</li>
 *   <li>every valid delivery is booked exactly once;</li>
 *   <li>health is UP throughout, since nothing broke.</li>
 * </ul>
 * {@code -Drobustness.seed=N} repeats a run; {@code -Drobustness.inputs=N} changes its size. The
 * figures of each run go to {@code target/robustness.txt}.
 */
class RobustnessSuiteTest extends SystemTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, Integer> statuses = new TreeMap<>();

    @Test
    void hostile_inputs_never_answer_5xx_never_stall_a_consumer_and_every_valid_delivery_is_booked_once() throws Exception {
        long seed = Long.getLong("robustness.seed", System.nanoTime());
        int inputs = Integer.getInteger("robustness.inputs", 3_000);
        Random random = new Random(seed);
        Hostile hostile = new Hostile(random);
        String site = "robust-" + Long.toHexString(seed);
        system.registerSite(site, "2025-01", "HVO");
        // the delivery the hostile reversals are aimed at
        assertEquals(202, send("POST", system.ledger.url() + "/api/v1/sites/" + site + "/deliveries",
                Hostile.PLAIN.writeValueAsBytes(Hostile.valid("R-target", false))).statusCode());
        long began = System.nanoTime();

        List<String> valid = new ArrayList<>();
        Set<String> acceptedHostile = new HashSet<>();
        Map<Long, String> erpHostile = new HashMap<>();
        Map<Long, String> erpSent = new HashMap<>();
        int rest = 0;
        int erp = 0;
        try (KafkaProducer<String, byte[]> producer = eu.massbalance.system.Topics.erpProducer()) {
            for (int i = 0; i < inputs; i++) {
                String id = "H-" + i;
                if (i % 10 == 0) {
                    String validId = "V-" + i;
                    byte[] body = Hostile.PLAIN.writeValueAsBytes(Hostile.valid(validId, random.nextBoolean()));
                    if (random.nextBoolean()) {
                        HttpResponse<String> response = send("POST", system.ledger.url() + "/api/v1/sites/" + site + "/deliveries", body);
                        assertEquals(202, response.statusCode(), "seed " + seed + ": " + response.body());
                    } else {
                        eu.massbalance.system.Topics.send(producer, SystemUnderTest.ERP_TOPIC, site, body);
                    }
                    valid.add(validId);
                    continue;
                }
                ObjectNode delivery = Hostile.valid(id, random.nextBoolean());
                int channel = random.nextInt(100);
                if (channel < 30) {
                    byte[] bytes = random.nextInt(8) == 0 ? hostile.document(Hostile.PLAIN.writeValueAsBytes(delivery))
                            : hostile.mutate(delivery);
                    long offset = eu.massbalance.system.Topics.send(producer, SystemUnderTest.ERP_TOPIC, site, bytes);
                    // the id as sent, not as generated: the writer puts '?' for an unpaired surrogate, say;
                    // a scalar of another type is read as its text, as Jackson coerces it
                    JsonNode deliveryId = sentDeliveryId(bytes);
                    erpHostile.put(offset, deliveryId.isValueNode() && !deliveryId.isNull() ? deliveryId.asText() : null);
                    erpSent.put(offset, new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.UTF_8));
                    erp++;
                    continue;
                }
                rest++;
                HttpResponse<String> response;
                if (channel < 70) {
                    byte[] body = random.nextInt(8) == 0 ? hostile.document(Hostile.PLAIN.writeValueAsBytes(delivery))
                            : hostile.mutate(delivery);
                    response = send("POST", system.ledger.url() + "/api/v1/sites/" + site + "/deliveries", body);
                    if (response.statusCode() == 202) {
                        acceptedHostile.add(JSON.readTree(response.body()).path("deliveryId").asText());
                    }
                } else if (channel < 78) {
                    ObjectNode batch = Hostile.F.objectNode();
                    batch.putArray("deliveries").add(Hostile.valid(id + "-a", false)).add(delivery);
                    hostile.mutate(delivery);
                    byte[] body = hostile.write(batch);
                    response = send("POST", system.ledger.url() + "/api/v1/sites/" + site + "/deliveries:batch", body);
                    if (response.statusCode() == 202 || response.statusCode() == 207) {
                        for (JsonNode item : JSON.readTree(response.body()).path("results")) {
                            if (item.path("status").asText().equals("ACCEPTED")) {
                                acceptedHostile.add(item.path("deliveryId").asText());
                            }
                        }
                    }
                } else if (channel < 86) {
                    String path = hostilePath(hostile, site);
                    response = send(random.nextBoolean() ? "GET" : "POST", system.ledger.url() + path, "{}".getBytes(StandardCharsets.UTF_8));
                } else if (channel < 94) {
                    String query = hostileQuery(hostile, site);
                    response = send("GET", system.projection.url() + query, null);
                } else {
                    response = hostileCommand(hostile, site, i);
                }
                assertAnswer(response, seed);
                if (i % 250 == 0) {
                    assertHealthy(seed);
                }
            }
        }

        // every valid delivery booked exactly once; the projection has journaled every event of the site's log
        List<ConsumerRecord<String, byte[]>> log = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, Integer> booked = bookedCounts(site);
            for (String id : valid) {
                assertEquals(1, booked.getOrDefault(id, 0), "seed " + seed + ": " + id + " booked once");
            }
        });
        Set<String> logged = new HashSet<>();
        Map<String, Integer> onLog = new HashMap<>();
        log.addAll(eu.massbalance.system.Topics.read(Topics.LEDGER, r -> site.equals(r.key()), Integer.MAX_VALUE,
                Duration.ofSeconds(10)));
        for (ConsumerRecord<String, byte[]> record : log) {
            JsonNode event = JSON.readTree(record.value());
            if (event.has("deliveryId") && event.path("eventType").asText().endsWith("Delivery")) {
                logged.add(event.path("deliveryId").asText());
                onLog.merge(event.path("deliveryId").asText(), 1, Integer::sum);
            }
        }
        for (String id : valid) {
            assertEquals(1, onLog.getOrDefault(id, 0), "seed " + seed + ": " + id + " appended once");
        }
        assertTrue(logged.containsAll(acceptedHostile), "seed " + seed + ": every accepted input is on the log");
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode verify = JSON.readTree(system.get(system.projection, "/api/v1/sites/" + site + "/audit/verify").body());
            assertEquals(log.size(), verify.path("events").asInt(), "seed " + seed + ": the projection journaled the whole log");
            assertTrue(verify.path("intact").asBoolean());
        });

        Set<Long> rejectedOffsets = new HashSet<>();
        eu.massbalance.system.Topics.read(Topics.REJECTED, r -> site.equals(r.key()), erpHostile.size(),
                Duration.ofSeconds(60)).forEach(r -> rejectedOffsets.add(json(r).path("sourceOffset").asLong()));
        int erpRejected = 0;
        for (Map.Entry<Long, String> e : erpHostile.entrySet()) {
            boolean rejected = rejectedOffsets.contains(e.getKey());
            erpRejected += rejected ? 1 : 0;
            assertTrue(rejected || (e.getValue() != null && logged.contains(e.getValue())),
                    "seed " + seed + ": ERP record at offset " + e.getKey() + " is neither rejected nor on the log: " + erpSent.get(e.getKey())
                    + " (id " + (e.getValue() == null ? null : e.getValue().codePoints().mapToObj(Integer::toHexString).toList()) + ")");
        }
        assertHealthy(seed);

        double seconds = (System.nanoTime() - began) / 1e9;
        String figures = String.format("robustness suite: seed %d, %d inputs in %.1f s (%d hostile over REST, %d hostile on the ERP topic,"
                        + " %d valid); REST answers %s; ERP hostile rejected %d, appended %d; %d events on the site's log, all journaled%n",
                seed, inputs, seconds, rest, erp, valid.size(), statuses, erpRejected, erp - erpRejected, log.size());
        System.out.print(figures);
        Files.writeString(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/robustness.txt"), figures);
    }

    String hostilePath(Hostile hostile, String site) {
        String segment = encode(hostile.pick(Hostile.TEXTS));
        return hostile.pick(List.of(
                "/api/v1/sites/" + segment + "/deliveries",
                "/api/v1/sites/" + site + "/deliveries/" + segment + "/reversal",
                "/api/v1/sites/" + site + "/deviations/" + segment + "/action-plan",
                "/api/v1/sites/" + site + "/deviations/" + segment + "/closure",
                "/api/v1/sites/" + site + "/periods/" + segment + "/close",
                "/api/v1/sites/" + segment,
                "/api/v1/suppliers/" + segment + "/certificates/" + segment + "/revocation"));
    }

    String hostileQuery(Hostile hostile, String site) {
        String value = encode(hostile.pick(hostile.pick(List.of(Hostile.TEXTS, Hostile.DATES, Hostile.DECIMALS))));
        return hostile.pick(List.of(
                "/api/v1/sites/" + site + "/movements?from=" + value,
                "/api/v1/sites/" + site + "/movements?to=" + value + "&limit=" + value,
                "/api/v1/sites/" + site + "/movements?after=" + value,
                "/api/v1/sites/" + site + "/periods/" + value + "/balance",
                "/api/v1/sites/" + site + "/periods/2025-03/balance?asOf=" + value,
                "/api/v1/sites/" + site + "/batches/" + value + "/trace",
                "/api/v1/deviations?siteId=" + value + "&class=" + value,
                "/api/v1/deviations?status=" + value + "&limit=" + value,
                "/api/v1/webhooks/deliveries?state=" + value,
                "/api/v1/sites/" + value + "/stock"));
    }

    HttpResponse<String> hostileCommand(Hostile hostile, String site, int i) throws IOException {
        ObjectNode body = Hostile.F.objectNode();
        String other = "robust-other-" + i;
        return switch (i % 4) {
            case 0 -> {
                body.put("name", "Depot").put("periodMonths", 1).put("firstPeriod", "2025-01");
                body.putArray("products").add(Hostile.F.objectNode().put("product", "HVO").put("unit", "m3"));
                Hostile.set(body, hostile.pick(List.of("name", "operator", "timeZone", "periodMonths", "firstPeriod", "periodReason",
                        "products", "blendGroups", "overdraft", "allocation", "escalation", "autoCloseAfterDays")), hostile.value());
                yield send("PUT", system.ledger.url() + "/api/v1/sites/" + other, hostile.write(body));
            }
            case 1 -> {
                body.put("scheme", "ISCC EU").put("validFrom", "2025-01-01");
                Hostile.set(body, hostile.pick(List.of("scheme", "validFrom", "validTo", "products")), hostile.value());
                yield send("PUT", system.ledger.url() + "/api/v1/suppliers/robust-supplier/certificates/C-" + i, hostile.write(body));
            }
            case 2 -> {
                body.set(hostile.pick(List.of("actionPlan", "resolution", "reason", "newClass")), hostile.value());
                yield send("POST", system.ledger.url() + "/api/v1/sites/" + site + "/deviations/D-" + i + "/"
                        + hostile.pick(List.of("action-plan", "closure", "reclassification")), hostile.write(body));
            }
            default -> {
                body.set("reason", hostile.value());
                yield send("POST", system.ledger.url() + "/api/v1/sites/" + site + "/deliveries/R-target/reversal", hostile.write(body));
            }
        };
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The delivery id in the bytes of a record, as a reader of the record sees it; missing if they are not JSON. */
    static JsonNode sentDeliveryId(byte[] bytes) {
        try {
            return JSON.readTree(bytes).path("deliveryId");
        } catch (IOException | RuntimeException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    HttpResponse<String> send(String method, String url, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", SystemUnderTest.BEARER);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no answer to " + method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void assertAnswer(HttpResponse<String> response, long seed) {
        statuses.merge(String.valueOf(response.statusCode()), 1, Integer::sum);
        String context = "seed " + seed + ": " + response.request().method() + " " + response.uri() + " -> " + response.statusCode()
                + " " + response.body();
        assertTrue(response.statusCode() < 500, context);
        if (response.statusCode() >= 400) {
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), context);
            assertFalse(response.body().contains("java.") || response.body().contains("Exception"), context);
        }
    }

    void assertHealthy(long seed) {
        for (var service : List.of(system.ledger, system.projection)) {
            HttpResponse<String> health = system.get(service, "/q/health");
            assertEquals(200, health.statusCode(), "seed " + seed + ": " + service.name() + " " + health.body());
        }
    }

    /** Movements of the site by delivery id, counted over every page. */
    Map<String, Integer> bookedCounts(String site) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        String after = "0";
        while (after != null) {
            JsonNode page = JSON.readTree(system.get(system.projection, "/api/v1/sites/" + site + "/movements?limit=1000&after=" + after).body());
            for (JsonNode m : page.path("items")) {
                if (m.path("status").asText().equals("BOOKED")) {
                    counts.merge(m.path("deliveryId").asText(), 1, Integer::sum);
                }
            }
            after = page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.path("next").asText();
        }
        return counts;
    }

    static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
