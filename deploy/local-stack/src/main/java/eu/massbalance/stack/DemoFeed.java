package eu.massbalance.stack;

import eu.massbalance.contracts.example.Figure8;
import eu.massbalance.contracts.json.LedgerJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the demo through the public REST API, once per data directory: the guidance's worked
 * example (Figure 8), and a generated year (2025) of traffic at three depots — HVO, FAME and
 * ethanol; boats of several thousand m3 bringing sustainable batches, trucks of 30–40 m3 taking
 * them out; a late boat that leaves Luleå short at the end of May; a supplier whose certificate is
 * revoked from July. The same seed gives the same year every time.
 */
public final class DemoFeed {

    public static final String FIGURE8 = "figure8-wheat";
    public static final List<String> DEPOTS = List.of("gavle-depot", "lulea-depot", "goteborg-terminal");
    public static final List<String> PRODUCTS = List.of("HVO", "FAME", "ETHANOL");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String ledgerUrl;
    private final String projectionUrl;
    private final Path marker;

    private final Identity identity;

    public DemoFeed(String ledgerUrl, String projectionUrl, Path home, Identity identity) {
        this.identity = identity;
        this.ledgerUrl = ledgerUrl;
        this.projectionUrl = projectionUrl;
        this.marker = home.resolve("demo-loaded");
    }

    public String load() throws IOException, InterruptedException {
        if (!Files.exists(marker)) {
            System.out.println("Loading the demo: Figure 8, then a year of traffic at " + DEPOTS + " ...");
            put("/api/v1/organisations/" + Identity.ORG, "{\"name\": \"Demo Fuels AB\"}");
            figure8();
            year(new Random(2025));
            Files.writeString(marker, "Figure 8 and a year at " + DEPOTS + "\n");
            awaitProjection();
        }
        return summary();
    }

    // ------------------------------------------------------------------ Figure 8

    private void figure8() throws IOException, InterruptedException {
        put("/api/v1/sites/" + FIGURE8, """
                {"name": "Grain reception (the guidance's Figure 8)", "operator": "556677-8899", "periodMonths": 1,
                 "firstPeriod": "2019-01", "products": [{"product": "WHEAT", "unit": "t"}], "autoCloseAfterDays": null}""");
        put("/api/v1/suppliers/" + Figure8.SUPPLIER + "/certificates/SE-NATIONAL-1",
                "{\"scheme\": \"national decision\", \"validFrom\": \"2018-01-01\"}");
        batch(FIGURE8, Figure8.january().stream().map(row -> LedgerJson.write(Figure8.erpDelivery(FIGURE8, row))).toList());
        post("/api/v1/sites/" + FIGURE8 + "/periods/2019-01/close", "");
        batch(FIGURE8, Figure8.february().stream().map(row -> LedgerJson.write(Figure8.erpDelivery(FIGURE8, row))).toList());
    }

    // ------------------------------------------------------------------ a year at three depots

    private void year(Random random) throws IOException, InterruptedException {
        for (String depot : DEPOTS) {
            put("/api/v1/sites/" + depot, """
                    {"name": "%s", "operator": "556677-8899", "timeZone": "Europe/Stockholm", "periodMonths": 1,
                     "firstPeriod": "2025-01", "products": [{"product": "HVO", "unit": "m3"}, {"product": "FAME", "unit": "m3"},
                     {"product": "ETHANOL", "unit": "m3"}], "overdraft": "ALLOW_WITHIN_PERIOD", "allocation": "FIFO",
                     "autoCloseAfterDays": null}""".formatted(depot));
        }
        put("/api/v1/suppliers/neste-rotterdam/certificates/ISCC-EU-NL-1001", "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2024-01-01\"}");
        put("/api/v1/suppliers/agro-ethanol/certificates/REDcert-SE-77", "{\"scheme\": \"REDcert-EU\", \"validFrom\": \"2024-06-01\"}");
        put("/api/v1/suppliers/baltic-biodiesel/certificates/ISCC-EU-LT-42", "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2024-01-01\"}");
        put("/api/v1/suppliers/nordic-biodiesel/certificates/ISCC-EU-FI-7", "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2025-01-01\"}");
        post("/api/v1/suppliers/baltic-biodiesel/certificates/ISCC-EU-LT-42/revocation",
                "{\"effectiveFrom\": \"2025-07-01\", \"reason\": \"suspended by the scheme after an audit\"}");
        // going live: the terminal already held ethanol when it started using the ledger
        put("/api/v1/sites/goteborg-terminal/opening-stock/ETHANOL", """
                {"batches": [{"batchId": "GOT-ETHANOL-OPENING", "amount": "40", "characteristics": %s}]}"""
                .formatted(red("Ethanol", "Wheat", "SE", "CEREALS_STARCH", "NONE", false, "31.0", "2016-09-01")
                        .replace("PoS-X", "PoS-GOT-ETHANOL-OPENING")));
        // what the books say is physically at Gävle, to dip against at the end of September
        int gavleHvo = 0;
        for (int month = 1; month <= 12; month++) {
            YearMonth ym = YearMonth.of(2025, month);
            for (String depot : DEPOTS) {
                List<String> deliveries = new ArrayList<>();
                for (String product : PRODUCTS) {
                    boolean lateBoat = depot.equals("lulea-depot") && product.equals("HVO") && month == 5;
                    List<String> trucks = new ArrayList<>();
                    int claimed = 0;
                    int shipped = 0;
                    int count = 70 + random.nextInt(15);
                    for (int t = 0; t < count; t++) {
                        int day = 3 + t * 25 / count;
                        int size = 30 + random.nextInt(11);
                        int sustainable = Math.min(size, 26 + random.nextInt(8));
                        claimed += sustainable;
                        shipped += size;
                        trucks.add("""
                                {"deliveryId": "%s-%s-T%03d", "direction": "OUTBOUND", "occurredAt": "%sT%02d:%02d:00+01:00",
                                 "product": "%s", "quantity": {"amount": "%d", "unit": "m3"}, "customerId": "haulier-%d",
                                 "useArea": "TRANSPORT", "taxLiability": true, "sustainable": [{"amount": "%d"}]}"""
                                .formatted(product, ym, t, ym.atDay(day), 6 + t % 12, (t * 7) % 60, product, size,
                                        random.nextInt(40), sustainable));
                    }
                    // one boat a month brings what the month's trucks will claim, plus a small margin; Luleå's May
                    // boat only arrives on 2 June, so May ends short
                    String boatDate = lateBoat ? "2025-06-02" : ym.atDay(2).toString();
                    int sustainable = claimed * (102 + random.nextInt(4)) / 100;
                    // the boat also brings the non-sustainable part the trucks take, and a little more
                    int size = Math.max(sustainable * 100 / 95 + 1, shipped * 103 / 100);
                    if (depot.equals("gavle-depot") && product.equals("HVO")) {
                        gavleHvo += size - shipped;
                    }
                    deliveries.add(boat(depot, product, ym, boatDate, sustainable, month, size));
                    if (depot.equals("goteborg-terminal") && product.equals("HVO") && month == 10) {
                        // a parcel whose GHG emissions save too little: its batch is refused as sustainable
                        deliveries.add(("""
                                {"deliveryId": "HVO-2025-10-PFAD", "direction": "INBOUND", "occurredAt": "2025-10-03T06:00:00+01:00",
                                 "product": "HVO", "quantity": {"amount": "120", "unit": "m3"}, "supplierId": "neste-rotterdam",
                                 "transportDocument": "BL-goteborg-terminal-2025-10-PFAD",
                                 "sustainable": [{"batchId": "GOT-HVO-2025-10-PFAD", "amount": "120", "characteristics": %s}]}""")
                                .formatted(red("HVO", "Palm fatty acid distillate", "ID", "OTHER", "NONE", true, "47.0", "2012-05-01")
                                        .replace("PoS-X", "PoS-GOT-PFAD-10")));
                    }
                    deliveries.addAll(trucks);
                }
                batch(depot, deliveries);
            }
            if (month == 9) {
                // the September dip at Gävle finds 2 % less HVO than the books: a stock count difference (OBSERVATION)
                post("/api/v1/sites/gavle-depot/stock-counts", """
                        {"product": "HVO", "counted": {"amount": "%d", "unit": "m3"}, "countedAt": "2025-09-30T18:00:00+02:00",
                         "method": "DIP", "note": "tanks 1-4 dipped at month end"}""".formatted(gavleHvo * 98 / 100));
            }
            for (String depot : DEPOTS) {
                post("/api/v1/sites/" + depot + "/periods/" + ym + "/close", "");
            }
        }
    }

    private static String boat(String depot, String product, YearMonth month, String date, int sustainable, int m, int size) {
        // baltic-biodiesel's certificate is revoked from July: its July boat is not covered; from August the depots buy elsewhere
        String supplier = switch (product) {
            case "HVO" -> "neste-rotterdam";
            case "FAME" -> m <= 7 ? "baltic-biodiesel" : "nordic-biodiesel";
            default -> "agro-ethanol";
        };
        String characteristics = switch (product) {
            case "HVO" -> red("HVO", "Used cooking oil", "NL", "OTHER", "B", true, "14.2", "2012-05-01");
            case "FAME" -> red("FAME", "Rapeseed", "LT", "OIL_CROPS", "NONE", false, "38.5", "2009-03-01");
            default -> red("Ethanol", "Wheat", "SE", "CEREALS_STARCH", "NONE", false, "31.0", "2016-09-01");
        };
        String batch = depot.substring(0, 3).toUpperCase() + "-" + product + "-" + month;
        return """
                {"deliveryId": "%s-%s-BOAT", "direction": "INBOUND", "occurredAt": "%sT06:00:00+01:00", "product": "%s",
                 "quantity": {"amount": "%d", "unit": "m3"}, "supplierId": "%s", "transportDocument": "BL-%s-%s",
                 "sustainable": [{"batchId": "%s", "amount": "%d", "characteristics": %s}]}"""
                .formatted(product, month, date, product, size, supplier, depot, month, batch, sustainable,
                        characteristics.replace("PoS-X", "PoS-" + batch + "-" + m));
    }

    private static String red(String fuel, String raw, String country, String group, String annex, boolean waste, String ghg,
                              String installation) {
        return """
                {"profile": "red-biofuel-v1", "fuelCategory": "%s", "rawMaterial": "%s", "countryOfOrigin": "%s",
                 "rawMaterialGroup": "%s", "annexIX": "%s", "residueOrWaste": %s, "celluloseType": "NONE",
                 "lowerHeatingValue": {"amount": "34.4", "unit": "MJ/l"}, "ghgEmissions": {"amount": "%s", "unit": "gCO2e/MJ"},
                 "ghgMethod": "ACTUAL", "voluntaryScheme": "ISCC EU", "installationStart": "%s", "proofOfSustainability": "PoS-X"}"""
                .formatted(fuel, raw, country, group, annex, waste, ghg, installation);
    }

    // ------------------------------------------------------------------ waiting and reporting

    private void awaitProjection() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (String site : DEPOTS) {
            while (count(get(projectionUrl + "/api/v1/sites/" + site + "/periods"), "\"status\":\"CLOSED\"") < 12) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The projection did not catch up with the demo within 5 minutes");
                }
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // polling the projection's API
            }
        }
    }

    private String summary() throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder("Demo:\n");
        for (String site : List.of(FIGURE8, DEPOTS.get(0), DEPOTS.get(1), DEPOTS.get(2))) {
            String periods = get(projectionUrl + "/api/v1/sites/" + site + "/periods");
            String deviations = get(projectionUrl + "/api/v1/deviations?siteId=" + site + "&limit=1000");
            out.append(String.format("    %-18s %2d periods closed; deviations: %d MAJOR, %d MINOR, %d OBSERVATION%n", site,
                    count(periods, "\"status\":\"CLOSED\""), count(deviations, "\"deviationClass\":\"MAJOR\""),
                    count(deviations, "\"deviationClass\":\"MINOR\""), count(deviations, "\"deviationClass\":\"OBSERVATION\"")));
        }
        out.append("    Figure 8, January:  ").append(projectionUrl).append("/api/v1/sites/").append(FIGURE8).append("/periods/2019-01/balance\n");
        out.append("    Luleå short in May: ").append(projectionUrl).append("/api/v1/sites/lulea-depot/periods/2025-05/balance\n");
        out.append("    All deviations:     ").append(projectionUrl).append("/api/v1/deviations\n");
        out.append("    MAJOR as a stream:  ").append(projectionUrl).append("/api/v1/deviations/stream\n");
        out.append("    A batch's trace:    ").append(projectionUrl).append("/api/v1/sites/gavle-depot/batches/GAV-HVO-2025-03/trace\n");
        out.append("    Tamper check:       ").append(projectionUrl).append("/api/v1/sites/gavle-depot/audit/verify\n");
        out.append("    A refused batch:    ").append(projectionUrl).append("/api/v1/sites/goteborg-terminal/deliveries/HVO-2025-10-PFAD\n");
        out.append("    Refusals:           ").append(projectionUrl).append("/api/v1/sites/goteborg-terminal/refusals\n");
        out.append("    Opening stock:      ").append(projectionUrl).append("/api/v1/sites/goteborg-terminal/deliveries/OPENING-ETHANOL\n");
        out.append("    A stock count off:  ").append(projectionUrl).append("/api/v1/deviations?siteId=gavle-depot&class=OBSERVATION\n");
        out.append("    Yearly report 2025: ").append(projectionUrl).append("/api/v1/organisations/").append(Identity.ORG)
                .append("/reports/2025?format=xlsx  (also format=csv|json, lang=en)");
        return out.toString();
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private void batch(String site, List<String> deliveries) throws IOException, InterruptedException {
        post("/api/v1/sites/" + site + "/deliveries:batch", "{\"deliveries\": [" + String.join(",", deliveries) + "]}");
    }

    /** A site is registered by the compliance officer, then granted by the admin to the demo ERP client. */
    private void put(String path, String json) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(ledgerUrl + path)).header("Content-Type", "application/json")
                .header("Authorization", bearer(path)).PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        Matcher site = Pattern.compile("/api/v1/sites/([^/]+)").matcher(path);
        if (site.matches()) {
            send(HttpRequest.newBuilder(URI.create(ledgerUrl + "/api/v1/organisations/" + Identity.ORG + "/erp-clients/"
                    + Identity.ERP_CLIENT + "/sites/" + site.group(1))).header("Authorization", "Bearer " + identity.token("admin"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build());
        }
    }

    private void post(String path, String json) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(ledgerUrl + path)).header("Content-Type", "application/json")
                .header("Authorization", bearer(path)).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Deliveries come from the demo ERP client, organisations from the admin, the rest from the compliance officer. */
    private String bearer(String path) {
        String role = path.contains("/deliveries") ? "erp" : path.startsWith("/api/v1/organisations") ? "admin" : "compliance-officer";
        return "Bearer " + identity.token(role);
    }

    private void send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Demo request " + request.uri() + " refused (" + response.statusCode() + "): " + response.body());
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + identity.token("auditor")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
