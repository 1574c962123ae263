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
    /** An inland depot on a quarterly grid, supplied with HVO by transfers from the port terminal. */
    public static final String INLAND = "jonkoping-depot";
    /** The months in which the terminal sends HVO inland, and how much of it is sustainable. */
    public static final List<Integer> TRANSFER_MONTHS = List.of(3, 6, 9, 11);
    public static final int TRANSFER_SUSTAINABLE = 60;
    /** The second organisation's battery-materials chain: black mass, sulphates, cathode material. */
    public static final String RECYCLER = "recycler-skelleftea";
    public static final String REFINERY = "refinery-ronnskar";
    public static final String CATHODE_PLANT = "cathode-vasteras";

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
            System.out.println("Loading the demo: Figure 8, a year of traffic at " + DEPOTS + " and " + INLAND
                    + ", a battery-materials chain ...");
            put("/api/v1/organisations/" + Identity.ORG, "{\"name\": \"Demo Fuels AB\"}");
            figure8();
            year(new Random(2025));
            batteryChain();
            Files.writeString(marker, "Figure 8, a year at " + DEPOTS + " and " + INLAND + ", the battery chain\n");
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
        put("/api/v1/sites/" + INLAND, """
                {"name": "Jönköping inland depot", "operator": "556677-8899", "timeZone": "Europe/Stockholm", "periodMonths": 3,
                 "firstPeriod": "2025-01", "products": [{"product": "HVO", "unit": "m3"}], "overdraft": "ALLOW_WITHIN_PERIOD",
                 "allocation": "FIFO", "autoCloseAfterDays": null}""");
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
                    boolean sendsInland = depot.equals("goteborg-terminal") && product.equals("HVO") && TRANSFER_MONTHS.contains(month);
                    if (sendsInland) {
                        // the boat brings what goes inland too
                        sustainable += TRANSFER_SUSTAINABLE;
                    }
                    // the boat also brings the non-sustainable part the trucks take, and a little more
                    int size = Math.max(sustainable * 100 / 95 + 1, shipped * 103 / 100);
                    if (depot.equals("gavle-depot") && product.equals("HVO")) {
                        gavleHvo += size - shipped;
                    }
                    deliveries.add(boat(depot, product, ym, boatDate, sustainable, month, size));
                    if (sendsInland) {
                        // a rail tank car to the inland depot; the batches and their characteristics go with it
                        deliveries.add("""
                                {"deliveryId": "HVO-%s-RAIL", "direction": "OUTBOUND", "occurredAt": "%sT14:00:00+01:00",
                                 "product": "HVO", "quantity": {"amount": "%d", "unit": "m3"}, "destinationSiteId": "%s",
                                 "transportDocument": "CIM-%s", "sustainable": [{"amount": "%d"}]}"""
                                .formatted(ym, ym.atDay(2), TRANSFER_SUSTAINABLE + 2, INLAND, ym, TRANSFER_SUSTAINABLE));
                    }
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
            if (TRANSFER_MONTHS.contains(month)) {
                inland(ym);
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
            if (month % 3 == 0) {
                post("/api/v1/sites/" + INLAND + "/periods/" + ym.minusMonths(2) + "/close", "");
            }
        }
    }

    /**
     * The inland depot confirms the rail car the day after it left (in June 1.6 % short, beyond its
     * 0.5 % tolerance: TRANSFER_DIFFERENCE), then trucks draw from it.
     */
    private void inland(YearMonth ym) throws IOException, InterruptedException {
        String transferId = "goteborg-terminal:HVO-" + ym + "-RAIL";
        int received = TRANSFER_SUSTAINABLE + 2 - (ym.getMonthValue() == 6 ? 1 : 0);
        receive(INLAND, transferId, """
                {"occurredAt": "%sT09:30:00+01:00", "received": {"amount": "%d", "unit": "m3"}, "transportDocument": "CIM-%s"}"""
                .formatted(ym.atDay(3), received, ym), "erp");
        List<String> trucks = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            trucks.add("""
                    {"deliveryId": "HVO-%s-JKP-T%d", "direction": "OUTBOUND", "occurredAt": "%sT07:%02d:00+01:00", "product": "HVO",
                     "quantity": {"amount": "11", "unit": "m3"}, "customerId": "haulier-jkp-%d", "useArea": "TRANSPORT",
                     "taxLiability": true, "sustainable": [{"amount": "10"}]}""".formatted(ym, t, ym.atDay(5 + t * 5), t * 7, t));
        }
        batch(INLAND, trucks);
    }

    // ------------------------------------------------------------------ a battery-materials chain (second organisation)

    /**
     * Nordic Battery Materials: a recycler books the black mass its line made from end-of-life packs
     * and from cell-production scrap and sends it to a refinery; the refinery turns it into nickel
     * and cobalt sulphates, batch by batch, next to primary nickel sulphate from a mine, and
     * sends nickel sulphate to a cathode plant, which turns it into cathode active material and
     * delivers it to a cell maker: the delivery's recycled content per element is the battery
     * passport's figure.
     */
    private void batteryChain() throws IOException, InterruptedException {
        String org = Identity.BATTERY_ORG;
        send("PUT", "/api/v1/organisations/" + org, "{\"name\": \"Nordic Battery Materials AB\"}", "admin");
        for (String[] site : List.of(new String[] {RECYCLER, "Skellefteå recycling plant", "\"BLACK_MASS\""},
                new String[] {REFINERY, "Rönnskär sulphate refinery", "\"BLACK_MASS\", \"NICKEL_SULPHATE\", \"COBALT_SULPHATE\""},
                new String[] {CATHODE_PLANT, "Västerås cathode plant", "\"NICKEL_SULPHATE\", \"COBALT_SULPHATE\", \"CATHODE_ACTIVE_MATERIAL\""})) {
            String products = java.util.Arrays.stream(site[2].split(", "))
                    .map(p -> "{\"product\": " + p + ", \"unit\": \"kg\"}").collect(java.util.stream.Collectors.joining(", "));
            send("PUT", "/api/v1/sites/" + site[0], """
                    {"name": "%s", "operator": "559900-1122", "timeZone": "Europe/Stockholm", "periodMonths": 1,
                     "firstPeriod": "2025-01", "products": [%s], "overdraft": "ALLOW_WITHIN_PERIOD", "allocation": "FIFO",
                     "autoCloseAfterDays": null}""".formatted(site[1], products), "battery-officer");
            send("PUT", "/api/v1/organisations/" + org + "/erp-clients/" + Identity.BATTERY_ERP_CLIENT + "/sites/" + site[0], null,
                    "admin");
        }
        send("PUT", "/api/v1/suppliers/recycling-line-1/certificates/RMAP-SE-2031",
                "{\"scheme\": \"RMI RMAP\", \"validFrom\": \"2024-06-01\"}", "battery-officer");
        send("PUT", "/api/v1/suppliers/kevitsa-nickel/certificates/IRMA-FI-118",
                "{\"scheme\": \"IRMA\", \"validFrom\": \"2024-01-01\"}", "battery-officer");

        // January: black mass from the recycler's own line, post-consumer (EV packs) and pre-consumer (cell scrap)
        send("POST", "/api/v1/sites/" + RECYCLER + "/deliveries:batch", "{\"deliveries\": [" + String.join(",",
                blackMass("BM-2025-01-EOL", "2025-01-08", 20000, "0.20", "0.06", "0", "1", "1.1"),
                blackMass("BM-2025-01-SCRAP", "2025-01-09", 8000, "0.24", "0.03", "1", "0", "0.8")) + "]}", "battery-erp");
        send("POST", "/api/v1/sites/" + REFINERY + "/deliveries", """
                {"deliveryId": "NISO4-2025-01-MINE", "direction": "INBOUND", "occurredAt": "2025-01-10T08:00:00+01:00",
                 "product": "NICKEL_SULPHATE", "quantity": {"amount": "10000", "unit": "kg"}, "supplierId": "kevitsa-nickel",
                 "transportDocument": "CMR-KEV-0110", "sustainable": [{"batchId": "NISO4-KEV-2025-01", "amount": "10000",
                 "characteristics": {"profile": "battery-material-v1", "material": "NICKEL_SULPHATE", "contentNi": "0.22",
                  "recycledSharePreConsumer": "0", "recycledSharePostConsumer": "0", "countryOfOrigin": "FI",
                  "dueDiligenceStatus": "VERIFIED", "carbonFootprint": {"amount": "4.2", "unit": "kgCO2e/kg"},
                  "carbonFootprintMethod": "PEF 3.1"}}]}""", "battery-erp");
        send("POST", "/api/v1/sites/" + RECYCLER + "/deliveries", """
                {"deliveryId": "BM-T-2025-01", "direction": "OUTBOUND", "occurredAt": "2025-01-20T10:00:00+01:00",
                 "product": "BLACK_MASS", "quantity": {"amount": "28000", "unit": "kg"}, "destinationSiteId": "%s",
                 "transportDocument": "CMR-BM-0120", "sustainable": [{"amount": "28000"}]}""".formatted(REFINERY), "battery-erp");
        receive(REFINERY, RECYCLER + ":BM-T-2025-01", """
                {"occurredAt": "2025-01-22T07:00:00+01:00", "received": {"amount": "28000", "unit": "kg"},
                 "transportDocument": "CMR-BM-0120"}""", "battery-erp");
        send("POST", "/api/v1/sites/" + REFINERY + "/processing-runs", """
                {"runId": "LEACH-2025-01-28", "occurredAt": "2025-01-28T06:00:00+01:00", "inputProduct": "BLACK_MASS",
                 "inputQuantity": {"amount": "28000", "unit": "kg"}, "inputs": [{"amount": "28000"}],
                 "outputs": [
                   {"product": "NICKEL_SULPHATE", "quantity": {"amount": "24000", "unit": "kg"}, "factor": "0.9",
                    "declared": {"profile": "battery-material-v1", "material": "NICKEL_SULPHATE", "contentNi": "0.22",
                                 "carbonFootprint": {"amount": "2.9", "unit": "kgCO2e/kg"}, "carbonFootprintMethod": "PEF 3.1"}},
                   {"product": "COBALT_SULPHATE", "quantity": {"amount": "7000", "unit": "kg"}, "factor": "0.28",
                    "declared": {"profile": "battery-material-v1", "material": "COBALT_SULPHATE", "contentCo": "0.21",
                                 "carbonFootprint": {"amount": "3.5", "unit": "kgCO2e/kg"}, "carbonFootprintMethod": "PEF 3.1"}}]}""",
                "battery-erp");
        for (String site : List.of(RECYCLER, REFINERY, CATHODE_PLANT)) {
            send("POST", "/api/v1/sites/" + site + "/periods/2025-01/close", "", "battery-officer");
        }

        // February: sulphates to the cathode plant (FIFO: the mine's batch first), cathode material to a cell maker
        for (String[] t : List.of(new String[] {"NISO4-T-2025-02", "NICKEL_SULPHATE", "20000"},
                new String[] {"COSO4-T-2025-02", "COBALT_SULPHATE", "5000"})) {
            send("POST", "/api/v1/sites/" + REFINERY + "/deliveries", """
                    {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-02-03T10:00:00+01:00", "product": "%s",
                     "quantity": {"amount": "%s", "unit": "kg"}, "destinationSiteId": "%s", "transportDocument": "CMR-%s",
                     "sustainable": [{"amount": "%s"}]}""".formatted(t[0], t[1], t[2], CATHODE_PLANT, t[0], t[2]), "battery-erp");
            receive(CATHODE_PLANT, REFINERY + ":" + t[0], """
                    {"occurredAt": "2025-02-05T07:00:00+01:00", "received": {"amount": "%s", "unit": "kg"},
                     "transportDocument": "CMR-%s"}""".formatted(t[2], t[0]), "battery-erp");
        }
        send("POST", "/api/v1/sites/" + CATHODE_PLANT + "/processing-runs", """
                {"runId": "CAM-2025-02-10", "occurredAt": "2025-02-10T06:00:00+01:00", "inputProduct": "NICKEL_SULPHATE",
                 "inputQuantity": {"amount": "20000", "unit": "kg"}, "inputs": [{"amount": "20000"}],
                 "outputs": [{"product": "CATHODE_ACTIVE_MATERIAL", "quantity": {"amount": "9000", "unit": "kg"}, "factor": "0.46",
                   "declared": {"profile": "battery-material-v1", "material": "CATHODE_ACTIVE_MATERIAL", "contentNi": "0.48",
                                "carbonFootprint": {"amount": "6.5", "unit": "kgCO2e/kg"}, "carbonFootprintMethod": "PEF 3.1"}}]}""",
                "battery-erp");
        send("POST", "/api/v1/sites/" + CATHODE_PLANT + "/deliveries", """
                {"deliveryId": "CAM-2025-02-CELL-1", "direction": "OUTBOUND", "occurredAt": "2025-02-20T12:00:00+01:00",
                 "product": "CATHODE_ACTIVE_MATERIAL", "quantity": {"amount": "6000", "unit": "kg"}, "customerId": "cell-maker-1",
                 "sustainable": [{"amount": "6000"}]}""", "battery-erp");
        for (String site : List.of(RECYCLER, REFINERY, CATHODE_PLANT)) {
            send("POST", "/api/v1/sites/" + site + "/periods/2025-02/close", "", "battery-officer");
        }
    }

    private static String blackMass(String id, String date, int kg, String ni, String co, String pre, String post, String footprint) {
        return """
                {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "%sT16:00:00+01:00", "product": "BLACK_MASS",
                 "quantity": {"amount": "%d", "unit": "kg"}, "supplierId": "recycling-line-1", "transportDocument": "INT-%s",
                 "sustainable": [{"batchId": "%s", "amount": "%d", "characteristics": {"profile": "battery-material-v1",
                  "material": "BLACK_MASS", "contentNi": "%s", "contentCo": "%s", "contentLi": "0.03", "contentMn": "0.05",
                  "recycledSharePreConsumer": "%s", "recycledSharePostConsumer": "%s",
                  "recyclingFacility": "Skellefteå recycling line 1", "dueDiligenceStatus": "VERIFIED",
                  "carbonFootprint": {"amount": "%s", "unit": "kgCO2e/kg"}, "carbonFootprintMethod": "PEF 3.1"}}]}"""
                .formatted(id, date, kg, id, id, kg, ni, co, pre, post, footprint);
    }

    /**
     * A receipt, once the transfer is in transit at the destination: the source's projection books it
     * out and its notice reaches ledger-service within a second or so; until then the receipt is 404.
     */
    private void receive(String site, String transferId, String json, String role) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ledgerUrl + "/api/v1/sites/" + site
                            + "/transfers/" + transferId + "/receipt")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + identity.token(role)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return;
            }
            if (response.statusCode() != 404 || System.nanoTime() > deadline) {
                throw new IllegalStateException("Demo receipt of " + transferId + " at " + site + " refused (" + response.statusCode()
                        + "): " + response.body());
            }
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // waiting for the transfer to be in transit here
        }
    }

    private void send(String method, String path, String json, String role) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(ledgerUrl + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + identity.token(role))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
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
        for (String[] site : List.of(new String[] {INLAND, "4", "auditor"}, new String[] {CATHODE_PLANT, "2", "battery-officer"})) {
            while (count(get(projectionUrl + "/api/v1/sites/" + site[0] + "/periods", site[2]), "\"status\":\"CLOSED\"")
                    < Integer.parseInt(site[1])) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The projection did not catch up with the demo within 5 minutes");
                }
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // polling the projection's API
            }
        }
    }

    private String summary() throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder("Demo:\n");
        for (String site : List.of(FIGURE8, DEPOTS.get(0), DEPOTS.get(1), DEPOTS.get(2), INLAND, RECYCLER, REFINERY, CATHODE_PLANT)) {
            String role = site.equals(RECYCLER) || site.equals(REFINERY) || site.equals(CATHODE_PLANT) ? "battery-officer" : "auditor";
            String periods = get(projectionUrl + "/api/v1/sites/" + site + "/periods", role);
            String deviations = get(projectionUrl + "/api/v1/deviations?siteId=" + site + "&limit=1000", role);
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
        out.append("    Transfers inland:   ").append(projectionUrl).append("/api/v1/sites/").append(INLAND).append("/transfers\n");
        out.append("    Across two sites:   ").append(projectionUrl).append("/api/v1/sites/").append(INLAND)
                .append("/batches/GOT-HVO-2025-05/trace\n");
        out.append("    Battery passport:   ").append(projectionUrl).append("/api/v1/sites/").append(CATHODE_PLANT)
                .append("/deliveries/CAM-2025-02-CELL-1/recycled-content  (as ").append(Identity.BATTERY_ORG).append(")\n");
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
        return get(url, "auditor");
    }

    private String get(String url, String role) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + identity.token(role)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
