package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The guidance's Figure 8 through the whole system: the deliveries posted to ledger-service over
 * REST, January closed, and the projection's balance endpoints show exactly the figures of rules.md.
 */
class Figure8EndToEndTest extends SystemTest {


    static String inbound(String id, String date, String quantity, String batch, String ghg, String country) {
        String lines = batch == null ? "[]" : """
                [{"batchId": "%s", "amount": "%s", "characteristics": {"profile": "raw-material-v1", "rawMaterial": "Wheat",
                  "countryOfOrigin": "%s", "ghgEmissions": {"amount": "%s", "unit": "gCO2/kg"}}}]""".formatted(batch, quantity, country, ghg);
        return """
                {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "%sT08:00:00+01:00", "product": "WHEAT",
                 "quantity": {"amount": "%s", "unit": "t"}, "supplierId": "farm-cooperative", "transportDocument": "W-%s",
                 "sustainable": %s}""".formatted(id, date, quantity, id, lines);
    }

    static String outbound(String id, String date, String quantity, String sustainable) {
        String lines = "0".equals(sustainable) ? "[]" : "[{\"amount\": \"" + sustainable + "\"}]";
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "%sT08:00:00+01:00", "product": "WHEAT",
                 "quantity": {"amount": "%s", "unit": "t"}, "customerId": "mill", "sustainable": %s}""".formatted(id, date, quantity, lines);
    }

    static JsonNode json(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return LedgerJson.read(response.body(), JsonNode.class);
    }

    static JsonNode batch(JsonNode product, String batchId) {
        for (JsonNode b : product.path("batches")) {
            if (b.path("batchId").asText().equals(batchId)) {
                return b;
            }
        }
        return null;
    }

    static void assertAmount(String expected, JsonNode value) {
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(value.asText())), () -> "expected " + expected + " got " + value);
    }

    @Test
    void january_per_batch_and_february_opening_exactly_as_in_the_guidance() {
        String site = "figure8-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, system.put(system.ledger, "/api/v1/sites/" + site, """
                {"name": "Grain reception", "operator": "556677-8899", "periodMonths": 1, "firstPeriod": "2019-01",
                 "products": [{"product": "WHEAT", "unit": "t"}], "autoCloseAfterDays": null}""").statusCode());
        assertEquals(200, system.put(system.ledger, "/api/v1/suppliers/farm-cooperative/certificates/SE-" + site, """
                {"scheme": "national decision", "validFrom": "2018-01-01", "validTo": null}""").statusCode());
        List<String> january = List.of(
                inbound("J1", "2019-01-03", "1000", "001", "310", "SE"),
                outbound("J2", "2019-01-07", "500", "500"),
                inbound("J3", "2019-01-10", "500", null, null, null),
                outbound("J4", "2019-01-12", "1000", "500"),
                inbound("J5", "2019-01-15", "400", "002", "300", "DK"),
                outbound("J6", "2019-01-19", "1500", "0"),
                inbound("J7", "2019-01-23", "200", "003", "250", "DE"),
                inbound("J8", "2019-01-30", "1000", null, null, null));
        HttpResponse<String> batch = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries:batch",
                "{\"deliveries\": [" + String.join(",", january) + "]}");
        assertEquals(202, batch.statusCode(), batch.body());
        assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + site + "/periods/2019-01/close", "").statusCode());
        for (String delivery : List.of(inbound("F1", "2019-02-11", "700", null, null, null),
                inbound("F2", "2019-02-20", "500", "004", "280", "SE"))) {
            assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", delivery).statusCode());
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> feb = system.get(system.projection, "/api/v1/sites/" + site + "/periods/2019-02/balance");
            return feb.statusCode() == 200 && batch(json(feb).path("products").get(0), "004") != null;
        });
        JsonNode jan = json(system.get(system.projection, "/api/v1/sites/" + site + "/periods/2019-01/balance"));
        assertEquals("CLOSED", jan.path("status").asText());
        JsonNode wheat = jan.path("products").get(0);
        assertAmount("1600", wheat.path("in"));
        assertAmount("1000", wheat.path("out"));
        assertAmount("600", wheat.path("closing"));
        assertAmount("0", wheat.path("uncovered"));
        assertAmount("0", batch(wheat, "001").path("closing"));
        assertAmount("400", batch(wheat, "002").path("closing"));
        assertAmount("200", batch(wheat, "003").path("closing"));

        JsonNode feb = json(system.get(system.projection, "/api/v1/sites/" + site + "/periods/2019-02/balance")).path("products").get(0);
        assertAmount("400", batch(feb, "002").path("opening"));
        assertAmount("200", batch(feb, "003").path("opening"));
        assertEquals("DK", batch(feb, "002").path("characteristics").path("countryOfOrigin").asText());
        assertEquals("300", batch(feb, "002").path("characteristics").path("ghgEmissions").path("amount").asText());
        assertEquals("DE", batch(feb, "003").path("characteristics").path("countryOfOrigin").asText());
        assertTrue(batch(feb, "001") == null, "no February line for batch 001");
        assertAmount("1100", new com.fasterxml.jackson.databind.node.TextNode(
                new BigDecimal(feb.path("opening").asText()).add(new BigDecimal(feb.path("in").asText())).toPlainString()));
        assertAmount("500", batch(feb, "004").path("in"));

        JsonNode deviations = json(system.get(system.projection, "/api/v1/deviations?siteId=" + site));
        assertEquals(0, deviations.path("items").size(), deviations.toString());
        JsonNode periods = json(system.get(system.projection, "/api/v1/sites/" + site + "/periods")).path("items");
        List<String> statuses = new ArrayList<>();
        periods.forEach(p -> statuses.add(p.path("periodId").asText() + "=" + p.path("status").asText()));
        assertEquals(List.of("2019-01=CLOSED", "2019-02=OPEN"), statuses);
        assertFalse(json(system.get(system.projection, "/api/v1/sites/" + site + "/stock")).isEmpty());
    }
}
