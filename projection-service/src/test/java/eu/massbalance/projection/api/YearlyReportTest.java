package eu.massbalance.projection.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.testinfra.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * R-21, given a small year worked out by hand: two batches, tax-liable outbounds in transport, one
 * outbound without tax liability, one claim left partly uncovered; then exactly these lines,
 * reconciling with the period results, in every format, the same bytes every time.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class YearlyReportTest {

    static Characteristics hvo(String rawMaterial, String country, String ghg) {
        return Characteristics.of("red-biofuel-v1", Map.ofEntries(Map.entry("fuelCategory", "HVO"), Map.entry("rawMaterial", rawMaterial),
                Map.entry("countryOfOrigin", country), Map.entry("rawMaterialGroup", "OTHER"), Map.entry("annexIX", "B"),
                Map.entry("residueOrWaste", true), Map.entry("celluloseType", "NONE"),
                Map.entry("ghgEmissions", Measure.of(ghg, "gCO2e/MJ")), Map.entry("ghgMethod", "ACTUAL"),
                Map.entry("voluntaryScheme", "ISCC EU"), Map.entry("lowerHeatingValue", Measure.of("34", "MJ/l")),
                Map.entry("installationStart", "2012-05-01"), Map.entry("proofOfSustainability", "PoS-" + rawMaterial)));
    }

    static InboundDelivery in(String site, String id, String day, String amount, String batch, Characteristics c) {
        return new InboundDelivery(site, id, OffsetDateTime.parse(day + "T10:00:00+01:00"), "HVO", Quantity.of(amount, Unit.M3),
                "supplier", "CMR-" + id, List.of(new BatchLine(batch, new BigDecimal(amount), c)), null, null);
    }

    static OutboundDelivery out(String site, String id, String day, String amount, String useArea, boolean taxLiability) {
        return new OutboundDelivery(site, id, OffsetDateTime.parse(day + "T10:00:00+01:00"), "HVO", Quantity.of(amount, Unit.M3),
                "customer", useArea, taxLiability, List.of(BatchLine.claim(amount)), null, null);
    }

    @Test
    void the_yearly_report_holds_each_covered_tax_liable_quantity_once_per_batch_and_reconciles_with_the_period_results()
            throws Exception {
        String org = "report-" + UUID.randomUUID().toString().substring(0, 8);
        String site = "yr-" + UUID.randomUUID();
        String officer = "Bearer " + Tokens.test(new Tokens.Principal("officer-" + org, org, null, Set.of("compliance-officer"), List.of()));
        RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder().addHeader("Authorization", officer).build();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site).withOrganisation(org), ProjectionFlowTest.certificate(site),
                    in(site, "I-A", "2025-01-03", "10", "A", hvo("UCO", "NL", "10")),
                    in(site, "I-B", "2025-01-04", "5", "B", hvo("Tallow", "DE", "12")),
                    out(site, "O1", "2025-01-10", "6", "TRANSPORT", true),   // A 6
                    out(site, "O2", "2025-01-12", "6", "TRANSPORT", true),   // A 4, B 2
                    out(site, "O3", "2025-01-15", "2", "HEAT", false),       // B 2, no tax liability: not reported
                    out(site, "O4", "2025-01-20", "3", "TRANSPORT", true),   // B 1, 2 left uncovered at the close
                    new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/periods", site)
                .then().body("items[0].status", equalTo("CLOSED")));
        // a year with open periods is provisional and says which
        given().get("/api/v1/organisations/{o}/reports/2025", org).then().statusCode(200)
                .body("provisional", equalTo(true)).body("openPeriods", hasItem(site + " 2025-02"));

        List<LedgerEvent> closes = new ArrayList<>();
        for (int month = 2; month <= 12; month++) {
            closes.add(new PeriodCloseRequested(site, YearMonth.of(2025, month), "officer"));
        }
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(closes);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/organisations/{o}/reports/2025", org)
                .then().statusCode(200).body("provisional", equalTo(false)));

        JsonPath report = given().get("/api/v1/organisations/{o}/reports/2025", org).then().statusCode(200)
                .body("lines", hasSize(2)).extract().jsonPath();
        assertEquals(List.of("A", "B"), report.getList("lines.batchId"));
        assertEquals(List.of("10", "3"), report.getList("lines.quantity").stream().map(String::valueOf).toList());
        assertEquals(List.of("TRANSPORT", "TRANSPORT"), report.getList("lines.useArea"));
        assertEquals(List.of("UCO", "Tallow"), report.getList("lines.rawMaterial"));
        assertEquals(List.of("340000", "102000"), report.getList("lines.energyMJ").stream().map(String::valueOf).toList(),
                "m3 × 1000 l × 34 MJ/l");
        assertEquals("13", String.valueOf(report.getString("byFuelCategory[0].quantity")));
        assertEquals("442000", String.valueOf(report.getString("byFuelCategory[0].energyMJ")));
        assertEquals("OTHER", report.getString("byRawMaterialGroup[0].key"));

        // reconciles: what the year's closed periods drew, less what outbounds without tax liability drew; nothing uncovered
        BigDecimal drawn = BigDecimal.ZERO;
        BigDecimal uncovered = BigDecimal.ZERO;
        for (int month = 1; month <= 12; month++) {
            JsonPath balance = given().get("/api/v1/sites/{s}/periods/{p}/balance", site, YearMonth.of(2025, month).toString())
                    .then().statusCode(200).extract().jsonPath();
            drawn = drawn.add(new BigDecimal(balance.getString("products[0].out")));
            uncovered = uncovered.add(new BigDecimal(balance.getString("products[0].uncovered")));
        }
        BigDecimal notTaxLiable = given().get("/api/v1/sites/{s}/deliveries/O3", site).then().statusCode(200)
                .extract().jsonPath().getList("portions.findAll { it.kind == 'DRAWN' }.amount").stream()
                .map(a -> new BigDecimal(String.valueOf(a))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, drawn.subtract(notTaxLiable).compareTo(new BigDecimal("13")), "drawn " + drawn + " less " + notTaxLiable);
        assertEquals(0, uncovered.compareTo(new BigDecimal("2")), "O4's 2 m3 left uncovered are not in the report");

        // files: Swedish headings by default, English on request; the same log, the same bytes
        byte[] csv = given().get("/api/v1/organisations/{o}/reports/2025?format=csv", org).then().statusCode(200)
                .header("X-Massbalance-Provisional", "false").body(containsString("a) Bränslekategori"))
                .extract().asByteArray();
        assertArrayEquals(csv, given().get("/api/v1/organisations/{o}/reports/2025?format=csv", org).then().extract().asByteArray());
        given().get("/api/v1/organisations/{o}/reports/2025?format=csv&lang=en", org).then().statusCode(200)
                .body(containsString("a) Fuel category")).body(containsString("yes"));
        byte[] xlsx = given().get("/api/v1/organisations/{o}/reports/2025?format=xlsx", org).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(xlsx, given().get("/api/v1/organisations/{o}/reports/2025?format=xlsx", org).then().extract().asByteArray());
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            assertEquals(3, workbook.getSheet("Partier").getPhysicalNumberOfRows());
            assertEquals("c) Hållbar mängd", workbook.getSheet("Partier").getRow(0).getCell(5).getStringCellValue());
            assertEquals(10.0, workbook.getSheet("Partier").getRow(1).getCell(5).getNumericCellValue());
        }

        // bad input and other organisations
        given().get("/api/v1/organisations/{o}/reports/25", org).then().statusCode(400);
        given().get("/api/v1/organisations/{o}/reports/2025?format=pdf", org).then().statusCode(400);
        given().get("/api/v1/organisations/test-org/reports/2025").then().statusCode(403).body("code", equalTo("ORGANISATION_NOT_GRANTED"));
        ProjectionFlowTest.authenticate();
    }
}
