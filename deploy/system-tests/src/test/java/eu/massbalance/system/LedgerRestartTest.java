package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.massbalance.testinfra.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Idempotency holds across a crash and restart of ledger-service, and with two instances at once. */
class LedgerRestartTest extends SystemTest {

    static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");

    static String outbound(String id, String amount) {
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00", "product": "HVO",
                 "quantity": {"amount": "%s", "unit": "m3"}, "sustainable": [{"amount": "%s"}]}""".formatted(id, amount, amount);
    }

    static String eventId(HttpResponse<String> response) {
        Matcher m = EVENT_ID.matcher(response.body());
        return m.find() ? m.group(1) : null;
    }

    @Test
    void duplicates_and_conflicts_are_recognised_after_a_crash_and_across_two_instances() throws Exception {
        String site = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        system.registerSite(site, "2025-01", "HVO");
        HttpResponse<String> first = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", outbound("D-1", "30"));
        assertEquals(202, first.statusCode());

        system.ledger.kill();
        system.ledger = system.startLedger();
        system.ledger.awaitReady(Duration.ofMinutes(2));
        HttpResponse<String> again = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", outbound("D-1", "30"));
        assertEquals(202, again.statusCode());
        assertEquals(eventId(first), eventId(again));
        assertEquals(409, system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", outbound("D-1", "31")).statusCode());

        ServiceProcess second = system.startLedger();
        try {
            second.awaitReady(Duration.ofMinutes(2));
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String delivery = outbound("C-" + i, "10");
                for (ServiceProcess instance : List.of(system.ledger, second)) {
                    calls.add(CompletableFuture.supplyAsync(() ->
                            system.post(instance, "/api/v1/sites/" + site + "/deliveries", delivery)));
                }
            }
            for (int i = 0; i < calls.size(); i += 2) {
                HttpResponse<String> a = calls.get(i).get();
                HttpResponse<String> b = calls.get(i + 1).get();
                assertEquals(202, a.statusCode(), a.body());
                assertEquals(202, b.statusCode(), b.body());
                assertEquals(eventId(a), eventId(b), "both instances answer with the original event");
            }
        } finally {
            second.close();
        }
        // the projection saw each delivery exactly once: no duplicate was appended
        String db = system.jdbcUrl("projection");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                Db.count(db, "SELECT count(*) FROM movement WHERE site_id = ?", site) == 21);
        assertEquals(0, Db.count(db, "SELECT count(*) FROM journal WHERE site_id = ? AND refusal_code = 'DUPLICATE_DELIVERY'", site));
        assertEquals(22, Db.count(db, "SELECT count(*) FROM journal WHERE site_id = ?", site));
    }
}
