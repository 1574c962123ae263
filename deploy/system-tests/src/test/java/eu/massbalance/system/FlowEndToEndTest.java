package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Material flows end to end through the real broker and database: a transfer posted at
 * a port terminal is drawn there, dispatched through projection-service's outbox and the transfers
 * topic, appended by ledger-service to the depot's log as in transit, received there and traced
 * back across sites; a processing run at a plant turns one product into another through the REST
 * API; a transfer to a site of another organisation is refused at once and nothing is booked.
 */
class FlowEndToEndTest extends SystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String HVO = """
            {"profile": "red-biofuel-v1", "fuelCategory": "HVO", "rawMaterial": "Used cooking oil",
             "countryOfOrigin": "NL", "rawMaterialGroup": "OTHER", "annexIX": "B", "residueOrWaste": true,
             "celluloseType": "NONE", "lowerHeatingValue": {"amount": "34.4", "unit": "MJ/l"},
             "ghgEmissions": {"amount": "14.2", "unit": "gCO2e/MJ"}, "ghgMethod": "ACTUAL", "voluntaryScheme": "ISCC EU",
             "installationStart": "2012-05-01", "proofOfSustainability": "PoS-2025-000123"}""";

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    /** Quantities are decimal strings in the API: exact, never binary floating point. */
    private static java.math.BigDecimal decimal(JsonNode node) {
        assertTrue(node.isTextual(), () -> "a decimal string: " + node);
        return new java.math.BigDecimal(node.asText());
    }

    /** The supplier of the inbound batches holds a valid certificate, else its batches are not sustainable. */
    private static void certifySupplier() {
        HttpResponse<String> certificate = system.put(system.ledger, "/api/v1/suppliers/supplier-rotterdam/certificates/C-FLOW",
                "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2024-01-01\"}");
        assertTrue(certificate.statusCode() / 100 == 2, certificate.body());
    }

    @Test
    void a_transfer_travels_from_the_port_to_the_depot_with_its_batches_and_is_traced_back() {
        String port = "port-" + UUID.randomUUID();
        String depot = "depot-" + UUID.randomUUID();
        system.registerSite(port, "2025-01", "HVO");
        system.registerSite(depot, "2025-01", "HVO");
        certifySupplier();
        assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + port + "/deliveries", """
                {"deliveryId": "IN-1", "direction": "INBOUND", "occurredAt": "2025-01-05T10:00:00+01:00", "product": "HVO",
                 "quantity": {"amount": "40", "unit": "m3"}, "supplierId": "supplier-rotterdam", "transportDocument": "BL-1",
                 "sustainable": [{"batchId": "B-PORT-1", "amount": "40", "characteristics": %s}]}""".formatted(HVO)).statusCode());

        HttpResponse<String> transfer = system.post(system.ledger, "/api/v1/sites/" + port + "/deliveries", """
                {"deliveryId": "T-1", "direction": "OUTBOUND", "occurredAt": "2025-01-10T08:00:00+01:00", "product": "HVO",
                 "quantity": {"amount": "25", "unit": "m3"}, "destinationSiteId": "%s",
                 "sustainable": [{"amount": "25"}]}""".formatted(depot));
        assertEquals(202, transfer.statusCode(), transfer.body());
        String transferId = port + ":T-1";

        // the saga: the port's engine draws, the outbox publishes, ledger-service appends the transit to the depot
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> transfers = system.get(system.projection, "/api/v1/sites/" + depot + "/transfers?direction=in");
            assertEquals(200, transfers.statusCode(), transfers.body());
            assertTrue(transfers.body().contains("\"status\":\"IN_TRANSIT\""), () -> transfers.body() + "; at the port: "
                    + system.get(system.projection, "/api/v1/sites/" + port + "/deliveries/T-1").body()
                    + system.get(system.projection, "/api/v1/sites/" + port + "/transfers").body());
        });
        JsonNode inTransit = json(system.get(system.projection, "/api/v1/sites/" + depot + "/deliveries/" + transferId));
        assertEquals("IN_TRANSIT", inTransit.path("state").asText(), inTransit.toString());
        assertEquals("[]", json(system.get(system.projection, "/api/v1/sites/" + depot + "/stock")).toString(),
                "in transit: in neither site's stock");
        JsonNode portStock = json(system.get(system.projection, "/api/v1/sites/" + port + "/stock"));
        assertEquals(0, decimal(portStock.get(0).path("onHand")).compareTo(new java.math.BigDecimal("15")), portStock.toString());

        HttpResponse<String> receipt = system.post(system.ledger, "/api/v1/sites/" + depot + "/transfers/" + transferId + "/receipt", """
                {"occurredAt": "2025-01-11T13:30:00+01:00", "received": {"amount": "24.5", "unit": "m3"},
                 "transportDocument": "CMR-T-1"}""");
        assertEquals(202, receipt.statusCode(), receipt.body());
        assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + depot + "/transfers/" + transferId + "/receipt", """
                {"occurredAt": "2025-01-11T13:30:00+01:00", "received": {"amount": "24.5", "unit": "m3"},
                 "transportDocument": "CMR-T-1"}""").statusCode(), "the same receipt again is the same command");

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode stock = json(system.get(system.projection, "/api/v1/sites/" + depot + "/stock"));
            assertEquals(1, stock.size(), stock.toString());
            assertEquals("B-PORT-1", stock.get(0).path("batchId").asText());
            assertEquals(0, decimal(stock.get(0).path("onHand")).compareTo(new java.math.BigDecimal("24.5")), stock.toString());
            assertEquals("NL", stock.get(0).path("characteristics").path("countryOfOrigin").asText(), "R-06: carried, not retyped");
        });
        JsonNode transfers = json(system.get(system.projection, "/api/v1/sites/" + port + "/transfers?direction=out"));
        assertEquals("RECEIVED", transfers.get(0).path("status").asText(), transfers.toString());
        assertEquals(0, decimal(transfers.get(0).path("sustainableLost")).compareTo(new java.math.BigDecimal("0.5")));
        // 2 % short is beyond the depot's tolerance of 0.5 %: an observation
        HttpResponse<String> deviations = system.get(system.projection, "/api/v1/deviations?siteId=" + depot);
        assertTrue(deviations.body().contains("TRANSFER_DIFFERENCE"), deviations.body());
        // the trace follows the batch back to the port and from there to its supplier
        JsonNode trace = json(system.get(system.projection, "/api/v1/sites/" + depot + "/batches/B-PORT-1/trace"));
        assertTrue(trace.path("changes").toString().contains("\"otherSiteId\":\"" + port + "\""), trace.toString());
        JsonNode origin = json(system.get(system.projection, "/api/v1/sites/" + port + "/batches/B-PORT-1/trace"));
        assertTrue(origin.toString().contains("supplier-rotterdam") && origin.toString().contains("TRANSFERRED_TO"), origin.toString());
    }

    @Test
    void a_transfer_to_a_site_that_does_not_keep_the_product_or_of_no_site_is_refused_at_once() {
        String port = "port-" + UUID.randomUUID();
        String gasGrid = "grid-" + UUID.randomUUID();
        system.registerSite(port, "2025-01", "HVO");
        system.registerSite(gasGrid, "2025-01", "BIOMETHANE");
        HttpResponse<String> refused = system.post(system.ledger, "/api/v1/sites/" + port + "/deliveries", """
                {"deliveryId": "T-9", "direction": "OUTBOUND", "occurredAt": "2025-01-10T08:00:00+01:00", "product": "HVO",
                 "quantity": {"amount": "5", "unit": "m3"}, "destinationSiteId": "%s"}""".formatted(gasGrid));
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("PRODUCT_NOT_AT_DESTINATION"), refused.body());
        HttpResponse<String> unknown = system.post(system.ledger, "/api/v1/sites/" + port + "/deliveries", """
                {"deliveryId": "T-10", "direction": "OUTBOUND", "occurredAt": "2025-01-10T08:00:00+01:00", "product": "HVO",
                 "quantity": {"amount": "5", "unit": "m3"}, "destinationSiteId": "nowhere-%s"}""".formatted(UUID.randomUUID()));
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("TRANSFER_DESTINATION_UNKNOWN"), unknown.body());
        assertEquals(404, system.get(system.projection, "/api/v1/sites/" + port + "/deliveries/T-9").statusCode(), "nothing booked");
    }

    @Test
    void a_processing_run_turns_one_product_into_another_batch_by_batch() {
        String plant = "plant-" + UUID.randomUUID();
        system.registerSite(plant, "2025-01", "HVO", "HVO100");
        certifySupplier();
        assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + plant + "/deliveries", """
                {"deliveryId": "IN-1", "direction": "INBOUND", "occurredAt": "2025-01-05T10:00:00+01:00", "product": "HVO",
                 "quantity": {"amount": "10", "unit": "m3"}, "supplierId": "supplier-rotterdam", "transportDocument": "BL-1",
                 "sustainable": [{"batchId": "B-1", "amount": "10", "characteristics": %s}]}""".formatted(HVO)).statusCode());
        HttpResponse<String> tooMuch = system.post(system.ledger, "/api/v1/sites/" + plant + "/processing-runs", """
                {"runId": "RUN-0", "occurredAt": "2025-01-12T06:00:00+01:00", "inputProduct": "HVO",
                 "inputQuantity": {"amount": "10", "unit": "m3"}, "inputs": [{"amount": "10"}],
                 "outputs": [{"product": "HVO100", "quantity": {"amount": "10.5", "unit": "m3"}, "factor": "1"}]}""");
        assertEquals(400, tooMuch.statusCode(), tooMuch.body());
        assertTrue(tooMuch.body().contains("PROCESSING_OUTPUT_EXCEEDS_FACTOR"), tooMuch.body());

        HttpResponse<String> run = system.post(system.ledger, "/api/v1/sites/" + plant + "/processing-runs", """
                {"runId": "RUN-1", "occurredAt": "2025-01-12T06:00:00+01:00", "inputProduct": "HVO",
                 "inputQuantity": {"amount": "10", "unit": "m3"}, "inputs": [{"amount": "8"}],
                 "outputs": [{"product": "HVO100", "quantity": {"amount": "9.9", "unit": "m3"}, "factor": "1",
                              "declared": {"profile": "red-biofuel-v1", "fuelCategory": "HVO100",
                                           "ghgEmissions": {"amount": "15.0", "unit": "gCO2e/MJ"}}}]}""");
        assertEquals(202, run.statusCode(), run.body());

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode output = json(system.get(system.projection, "/api/v1/sites/" + plant + "/deliveries/RUN-1.out1"));
            assertEquals("BOOKED", output.path("state").asText(), () -> output + "; the run: "
                    + system.get(system.projection, "/api/v1/sites/" + plant + "/deliveries/RUN-1").body());
        });
        JsonNode stock = json(system.get(system.projection, "/api/v1/sites/" + plant + "/stock"));
        JsonNode made = null;
        for (JsonNode line : stock) {
            if (line.path("product").asText().equals("HVO100")) {
                made = line;
            }
        }
        assertTrue(made != null, stock.toString());
        assertEquals("RUN-1.out1.1", made.path("batchId").asText());
        assertEquals(0, decimal(made.path("onHand")).compareTo(new java.math.BigDecimal("7.92")), "8 × 9.9 / 10: " + made);
        assertEquals("NL", made.path("characteristics").path("countryOfOrigin").asText());
        assertEquals("HVO100", made.path("characteristics").path("fuelCategory").asText());
        JsonNode trace = json(system.get(system.projection, "/api/v1/sites/" + plant + "/batches/RUN-1.out1.1/trace"));
        assertTrue(trace.path("changes").toString().contains("PROCESSED_FROM") && trace.toString().contains("B-1"), trace.toString());
    }
}
