package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton, end to end through the real broker and database: a delivery posted to
 * ledger-service is appended to the site's log, projected by projection-service into
 * PostgreSQL, and read back from its movements endpoint.
 */
class DeliveryEndToEndTest extends SystemTest {


    @Test
    void a_posted_delivery_is_readable_from_the_projection() {
        String site = "depot-" + UUID.randomUUID();
        system.registerSite(site, "2025-01", "HVO");
        HttpResponse<String> accepted = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", """
                {"deliveryId": "ERP-4712", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00",
                 "product": "HVO", "quantity": {"amount": "30", "unit": "m3"}, "customerId": "haulier-12",
                 "useArea": "TRANSPORT", "taxLiability": true, "sustainable": [{"amount": "30"}]}""");
        assertEquals(202, accepted.statusCode(), accepted.body());

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> movements = system.get(system.projection, "/api/v1/sites/" + site + "/movements");
            assertEquals(200, movements.statusCode());
            assertTrue(movements.body().contains("\"deliveryId\":\"ERP-4712\""), movements.body());
            assertTrue(movements.body().contains("\"direction\":\"OUTBOUND\""), movements.body());
            // the actor is the token's subject and client, on the event the auditor reads
            assertTrue(movements.body().contains("\"recordedBy\":\"system-tester via system-erp\""), movements.body());
        });
    }
}
