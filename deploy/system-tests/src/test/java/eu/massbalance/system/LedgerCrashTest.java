package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Topics;
import eu.massbalance.testinfra.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * ledger-service killed with SIGKILL in the middle of ingestion, by REST batches and from a busy
 * ERP topic, then restarted: every delivery is booked exactly once. The crash semantics of
 * {@code DeliveryIntake}: a delivery whose row was not committed before the crash is appended again
 * when the ERP retries it (or when the ERP topic's uncommitted poll comes again); a second copy on
 * the log is refused by the engine as DUPLICATE_DELIVERY and changes nothing. So the books hold
 * each delivery once, none is missing, and the copies refused are counted and printed.
 */
class LedgerCrashTest extends SystemTest {

    static final int BATCHES = 40;
    static final int PER_BATCH = 250;

    static String outbound(String id) {
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-01-05T07:40:00+01:00", "product": "HVO",
                 "quantity": {"amount": "1", "unit": "m3"}, "customerId": "haulier-1"}""".formatted(id);
    }

    static String batch(int b) {
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < PER_BATCH; i++) {
            deliveries.add(outbound("K-" + b + "-" + i));
        }
        return "{\"deliveries\": [" + String.join(",", deliveries) + "]}";
    }

    /** Every delivery booked once: as many movements as deliveries, each of quantity 1, so the books add up to the count. */
    static void bookedOnce(String site, int expected) {
        String db = system.jdbcUrl("projection");
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                Db.count(db, "SELECT count(*) FROM movement WHERE site_id = ?", site) >= expected);
        // the log may still hold copies not yet read: wait until the projection has read all the site's records
        java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong(-1);
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() ->
                seen.getAndSet(Db.count(db, "SELECT count(*) FROM journal WHERE site_id = ?", site)) == seen.get());
        assertEquals(expected, Db.count(db, "SELECT count(*) FROM movement WHERE site_id = ? AND status = 'BOOKED'", site));
        assertEquals(expected, Db.count(db, "SELECT coalesce(sum(quantity), 0)::bigint FROM movement WHERE site_id = ?", site),
                "nothing counted twice");
        long copies = Db.count(db, "SELECT count(*) FROM journal WHERE site_id = ? AND refusal_code = 'DUPLICATE_DELIVERY'", site);
        long other = Db.count(db, "SELECT count(*) FROM journal WHERE site_id = ? AND refusal_code IS NOT NULL"
                + " AND refusal_code <> 'DUPLICATE_DELIVERY'", site);
        assertEquals(0, other, "no refusal but of second copies");
        System.out.printf("%s: %d deliveries booked once; %d second copies reached the log and were refused%n", site, expected, copies);
    }

    @Test
    void killed_in_the_middle_of_rest_batches_and_retried_every_delivery_is_booked_once() throws Exception {
        String site = "crash-rest-" + UUID.randomUUID().toString().substring(0, 8);
        system.registerSite(site, "2025-01", "HVO");
        AtomicInteger acknowledged = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> unanswered = new ConcurrentLinkedQueue<>();
        ExecutorService posters = Executors.newFixedThreadPool(3);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        ServiceProcess victim = system.ledger;
        for (int b = 0; b < BATCHES; b++) {
            int n = b;
            calls.add(CompletableFuture.runAsync(() -> {
                try {
                    HttpResponse<String> response = system.post(victim, "/api/v1/sites/" + site + "/deliveries:batch", batch(n));
                    if (response.statusCode() == 202 || response.statusCode() == 200) {
                        acknowledged.incrementAndGet();
                        return;
                    }
                } catch (RuntimeException e) {
                    // the connection died with the service: the ERP does not know what happened and will send it again
                }
                unanswered.add(n);
            }, posters));
        }
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.get() >= BATCHES / 4);
        system.ledger.kill();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        posters.shutdown();
        assertTrue(!unanswered.isEmpty(), "the kill interrupted ingestion: " + acknowledged.get() + " batches answered before it");

        system.ledger = system.startLedger();
        system.ledger.awaitReady(Duration.ofMinutes(2));
        // the ERP sends again everything it has no answer for, and (to be sure) everything else as well
        int accepted = 0;
        int duplicates = 0;
        for (int b = 0; b < BATCHES; b++) {
            HttpResponse<String> response = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries:batch", batch(b));
            assertTrue(response.statusCode() / 100 == 2, response.body());
            com.fasterxml.jackson.databind.JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
            accepted += result.path("accepted").asInt();
            duplicates += result.path("duplicates").asInt();
        }
        assertEquals(BATCHES * PER_BATCH, accepted + duplicates, "each delivery of the retry is either new or known");
        assertTrue(accepted > 0 && duplicates > 0, "some were in before the kill, some not: " + accepted + " new, " + duplicates + " known");
        bookedOnce(site, BATCHES * PER_BATCH);
    }

    @Test
    void killed_while_draining_a_busy_erp_topic_and_restarted_every_delivery_is_booked_once() throws Exception {
        String site = "crash-erp-" + UUID.randomUUID().toString().substring(0, 8);
        system.registerSite(site, "2025-01", "HVO");
        int count = 20_000;
        try (KafkaProducer<String, byte[]> producer = eu.massbalance.system.Topics.erpProducer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(Topics.erpDeliveries(SystemUnderTest.ORG), site,
                        outbound("E-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        String db = system.jdbcUrl("projection");
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                Db.count(db, "SELECT count(*) FROM journal WHERE site_id = ?", site) > 2_000);
        system.ledger.kill();
        long before = Db.count(db, "SELECT count(*) FROM movement WHERE site_id = ?", site);
        assertTrue(before < count, "killed while the topic was being drained: " + before + " of " + count);

        system.ledger = system.startLedger();
        system.ledger.awaitReady(Duration.ofMinutes(2));
        bookedOnce(site, count);
    }
}
