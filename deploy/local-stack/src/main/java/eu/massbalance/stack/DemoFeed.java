package eu.massbalance.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a demo onto a freshly started stack through the public REST API, once per data
 * directory: the worked example of the guidance (Figure 8, a wheat reception in January and
 * February 2019).
 */
final class DemoFeed {

    static final String SITE = "figure8-wheat";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String ledgerUrl;
    private final String projectionUrl;
    private final Path marker;

    DemoFeed(String ledgerUrl, String projectionUrl, Path home) {
        this.ledgerUrl = ledgerUrl;
        this.projectionUrl = projectionUrl;
        this.marker = home.resolve("demo-loaded");
    }

    String load() throws IOException, InterruptedException {
        if (Files.exists(marker)) {
            return "Demo already loaded: " + projectionUrl + "/api/v1/sites/" + SITE + "/movements";
        }
        for (String delivery : figure8()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(ledgerUrl + "/api/v1/sites/" + SITE + "/deliveries"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(delivery)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("Demo delivery refused (" + response.statusCode() + "): " + response.body());
            }
        }
        Files.writeString(marker, "Figure 8\n");
        return "Demo loaded (Figure 8): " + projectionUrl + "/api/v1/sites/" + SITE + "/movements";
    }

    private static List<String> figure8() {
        return List.of(
                inbound("J1", "2019-01-03", "1000", "001", "310", "SE", "0"),
                outbound("J2", "2019-01-07", "500", "500"),
                inbound("J3", "2019-01-10", "500", null, null, null, "500"),
                outbound("J4", "2019-01-12", "1000", "500"),
                inbound("J5", "2019-01-15", "400", "002", "300", "DK", "0"),
                outbound("J6", "2019-01-19", "1500", "0"),
                inbound("J7", "2019-01-23", "200", "003", "250", "DE", "0"),
                inbound("J8", "2019-01-30", "1000", null, null, null, "1000"),
                inbound("F1", "2019-02-11", "700", null, null, null, "700"),
                inbound("F2", "2019-02-20", "500", "004", "280", "SE", "0"));
    }

    private static String inbound(String id, String date, String total, String batch, String ghg, String country,
                                  String nonSustainable) {
        String lines = batch == null ? "[]" : """
                [{"batchId": "%s", "amount": "%s", "characteristics": {"profile": "figure8-wheat",
                  "rawMaterial": "Wheat", "countryOfOrigin": "%s",
                  "ghgEmissions": {"amount": "%s", "unit": "gCO2/kg"}}}]""".formatted(batch, total, country, ghg);
        String quantity = batch == null ? nonSustainable : total;
        return """
                {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "%sT08:00:00+01:00", "product": "WHEAT",
                 "quantity": {"amount": "%s", "unit": "t"}, "supplierId": "farm-cooperative",
                 "transportDocument": "CMR-%s", "sustainable": %s}""".formatted(id, date, quantity, id, lines);
    }

    private static String outbound(String id, String date, String total, String sustainable) {
        String lines = "0".equals(sustainable) ? "[]" : "[{\"amount\": \"" + sustainable + "\"}]";
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "%sT08:00:00+01:00", "product": "WHEAT",
                 "quantity": {"amount": "%s", "unit": "t"}, "customerId": "mill", "sustainable": %s}""".formatted(
                id, date, total, lines);
    }
}
