package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.testinfra.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once effect: the projection is killed (no shutdown, as a crash) in the middle of a
 * stream and restarted, then a second instance joins the consumer group and leaves it again while
 * the stream goes on (two rebalances, partitions handed over with batches in flight); the final
 * read models equal those of a clean rebuild from offset 0 into a fresh database, row by row.
 */
class ProjectionCrashTest extends SystemTest {


    @Test
    void killed_mid_stream_restarted_and_rebalanced_the_projection_equals_a_clean_rebuild() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> sites = List.of("crash-a-" + run, "crash-b-" + run, "crash-c-" + run);
        sites.forEach(site -> system.registerSite(site, "2025-01", "HVO", "FAME"));
        assertEquals(200, system.put(system.ledger, "/api/v1/suppliers/boat-supplier/certificates/C-" + run,
                "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2024-01-01\"}").statusCode());

        CompletableFuture<Integer> feed = CompletableFuture.supplyAsync(() -> feed(sites, new Random(7)));
        String projectionDb = system.jdbcUrl("projection");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                Db.count(projectionDb, "SELECT count(*) FROM journal WHERE site_id LIKE ?", "crash-%-" + run) > 300);
        system.projection.kill();
        system.projection = system.startProjection();
        system.projection.awaitReady(Duration.ofMinutes(2));
        ServiceProcess second = system.startProjection();
        try {
            second.awaitReady(Duration.ofMinutes(2));
            long stored = Db.count(projectionDb, "SELECT count(*) FROM journal WHERE site_id LIKE ?", "crash-%-" + run);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> feed.isDone()
                    || Db.count(projectionDb, "SELECT count(*) FROM journal WHERE site_id LIKE ?", "crash-%-" + run) > stored + 300);
        } finally {
            second.close();
        }
        int posted = feed.get();
        assertTrue(posted > 1000, "the stream is long enough to be interrupted: " + posted);

        ServiceProcess rebuild = system.startProjection("projection_rebuild", "projection-rebuild-" + run);
        try {
            rebuild.awaitReady(Duration.ofMinutes(2));
            String rebuildDb = system.jdbcUrl("projection_rebuild");
            long end = endOffsets();
            Awaitility.await().atMost(Duration.ofMinutes(3)).until(() ->
                    Db.count(projectionDb, "SELECT sum(next_offset) FROM consumer_offset") == end
                            && Db.count(rebuildDb, "SELECT sum(next_offset) FROM consumer_offset") == end);
            for (String site : sites) {
                for (String sql : List.of(
                        "SELECT seq, event_type, hash, refusal_code FROM journal WHERE site_id = ? ORDER BY seq",
                        "SELECT delivery_id, status, period_id, quantity, sustainable, non_sustainable, open_claim, late FROM movement"
                                + " WHERE site_id = ? ORDER BY delivery_id",
                        "SELECT delivery_id, kind, batch_id, sum(amount) FROM portion WHERE site_id = ?"
                                + " GROUP BY delivery_id, kind, batch_id ORDER BY 1, 2, 3",
                        "SELECT period_id, status, balance::text FROM period_balance WHERE site_id = ? ORDER BY period_id",
                        "SELECT batch_id, on_hand, position FROM stock WHERE site_id = ? ORDER BY position",
                        "SELECT deviation_id, class, status, body::text FROM deviation WHERE site_id = ? ORDER BY deviation_id")) {
                    List<List<Object>> incremental = Db.rows(projectionDb, sql, site);
                    List<List<Object>> rebuilt = Db.rows(rebuildDb, sql, site);
                    assertEquals(rebuilt, incremental, site + ": " + sql);
                }
                assertTrue(Db.count(projectionDb, "SELECT count(*) FROM journal WHERE site_id = ?", site) > 100);
                HttpResponse<String> verify = system.get(system.projection, "/api/v1/sites/" + site + "/audit/verify");
                assertTrue(verify.body().contains("\"intact\":true"), verify.body());
            }
        } finally {
            rebuild.close();
        }
    }

    /** Trucks and boats over four months at three depots, with closes; returns how many deliveries were posted. */
    private static int feed(List<String> sites, Random random) {
        int posted = 0;
        for (int month = 1; month <= 4; month++) {
            for (String site : sites) {
                List<String> deliveries = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String id = "M" + month + "-" + i;
                    String date = YearMonth.of(2025, month).atDay(1 + i / 4) + "T10:00:00+01:00";
                    String product = i % 2 == 0 ? "HVO" : "FAME";
                    if (i % 10 == 0) {
                        deliveries.add("""
                                {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "%s", "product": "%s",
                                 "quantity": {"amount": "%d", "unit": "m3"}, "supplierId": "boat-supplier", "transportDocument": "BL-%s",
                                 "sustainable": [{"batchId": "%s-%s", "amount": "%d", "characteristics": {"profile": "raw-material-v1",
                                  "rawMaterial": "UCO", "countryOfOrigin": "NL", "ghgEmissions": {"amount": "12", "unit": "gCO2e/MJ"}}}]}"""
                                .formatted(id, date, product, 300 + random.nextInt(200), id, site, id, 250));
                    } else {
                        deliveries.add("""
                                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "%s", "product": "%s",
                                 "quantity": {"amount": "%d", "unit": "m3"}, "sustainable": [{"amount": "%d"}]}"""
                                .formatted(id, date, product, 30 + random.nextInt(10), 20 + random.nextInt(10)));
                    }
                }
                HttpResponse<String> response = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries:batch",
                        "{\"deliveries\": [" + String.join(",", deliveries) + "]}");
                assertEquals(202, response.statusCode(), response.body());
                posted += deliveries.size();
            }
            for (String site : sites) {
                assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + site + "/periods/2025-0" + month + "/close", "").statusCode());
            }
        }
        return posted;
    }

    private static long endOffsets() throws Exception {
        return ProjectionCrashTestSupport.endOffsets();
    }
}
