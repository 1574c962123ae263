package eu.massbalance.ledger.api;

import static eu.massbalance.ledger.Requests.putSite;
import static eu.massbalance.ledger.Requests.site;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Going live with history: given a CSV of 10,000 rows of which 1 % are bad in different ways, then
 * every good delivery is accepted, exactly the bad rows are reported with their line numbers, and
 * loading the file again accepts nothing new.
 */
@QuarkusTest
class CsvLoadTest {

    static final String HEADER = "deliveryId,direction,occurredAt,product,quantity,unit,supplierId,customerId,useArea,taxLiability,"
            + "batchId,sustainableAmount,c:profile,c:fuelCategory,c:rawMaterial,c:countryOfOrigin,c:rawMaterialGroup,c:annexIX,"
            + "c:residueOrWaste,c:celluloseType,c:lowerHeatingValue,c:ghgEmissions,c:ghgMethod,c:voluntaryScheme,"
            + "c:installationStart,c:proofOfSustainability";

    @BeforeEach
    void authenticate() {
        eu.massbalance.ledger.Requests.authenticate();
    }

    @Test
    void ten_thousand_rows_with_one_percent_bad_load_reporting_exactly_the_bad_ones_and_a_second_load_adds_nothing() throws Exception {
        String siteId = "csv-" + UUID.randomUUID();
        putSite(siteId, site(1, "2025-01", null)).statusCode(201);
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        TreeSet<Integer> badLines = new TreeSet<>();
        int line = 1;
        int deliveries = 0;
        int row = 0;
        while (row < 10_000) {
            String day = "2025-%02d-%02dT10:00:00+01:00".formatted(1 + (row / 1000) % 12, 1 + row % 28);
            if (row % 50 == 0) {
                // an inbound with two batches: two rows, one delivery
                String id = "IN-" + row;
                for (int b = 0; b < 2; b++) {
                    csv.append(String.join(",", id, "INBOUND", day, "HVO", "100", "m3", "supplier-rotterdam", "", "", "",
                            id + "-B" + b, "50", "red-biofuel-v1", "HVO", "Used cooking oil", "NL", "OTHER", "B", "true", "NONE",
                            "34.4 MJ/l", "14.2 gCO2e/MJ", "ACTUAL", "\"ISCC EU\"", "2012-05-01", "PoS-" + id)).append("\r\n");
                    line++;
                    row++;
                }
                deliveries++;
                continue;
            }
            String id = "OUT-" + row;
            String occurredAt = day;
            String quantity = "30";
            String direction = "OUTBOUND";
            String unit = "m3";
            String product = "HVO";
            if (row % 100 == 7) {
                switch ((row / 100) % 5) {
                    case 0 -> occurredAt = "yesterday";
                    case 1 -> quantity = "thirty";
                    case 2 -> direction = "SIDEWAYS";
                    case 3 -> unit = "barrels";
                    default -> product = "KEROSENE";
                }
                badLines.add(line + 1);
            }
            csv.append(String.join(",", id, direction, occurredAt, product, quantity, unit, "", "haulier-12", "TRANSPORT", "true",
                    "", "25", "", "", "", "", "", "", "", "", "", "", "", "", "", "")).append("\r\n");
            line++;
            row++;
            deliveries++;
        }
        assertEquals(100, badLines.size());

        List<JsonNode> first = load(siteId, csv.toString());
        JsonNode report = first.get(first.size() - 1);
        assertTrue(report.path("done").asBoolean());
        assertTrue(first.size() > 2, "progress is shown as the file streams: " + first.size() + " lines");
        assertEquals(10_001, report.path("lines").asInt());
        assertEquals(deliveries, report.path("deliveries").asInt());
        assertEquals(deliveries - 100, report.path("accepted").asInt());
        assertEquals(100, report.path("rejected").asInt());
        TreeSet<Integer> reported = new TreeSet<>();
        report.path("rejections").forEach(r -> reported.add(r.path("line").asInt()));
        assertEquals(badLines, reported, "exactly the bad rows, by line number");
        report.path("rejections").forEach(r -> assertTrue(r.path("problems").size() > 0, r.toString()));

        JsonNode again = load(siteId, csv.toString()).stream().reduce((a, b) -> b).orElseThrow();
        assertEquals(0, again.path("accepted").asInt(), "the same file again changes nothing");
        assertEquals(deliveries - 100, again.path("duplicates").asInt());
        assertEquals(100, again.path("rejected").asInt());

        // a file without the required columns is refused as a whole, before anything is read
        given().urlEncodingEnabled(false).contentType("text/csv").body("id,when\r\n1,2\r\n")
                .post("/api/v1/sites/" + siteId + "/deliveries:csv")
                .then().statusCode(400);
    }

    static List<JsonNode> load(String siteId, String csv) throws Exception {
        String body = given().urlEncodingEnabled(false).contentType("text/csv").body(csv)
                .post("/api/v1/sites/" + siteId + "/deliveries:csv")
                .then().statusCode(200).extract().asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String text : body.split("\n")) {
            if (!text.isBlank()) {
                lines.add(LedgerJson.mapper().readTree(text));
            }
        }
        return lines;
    }
}
