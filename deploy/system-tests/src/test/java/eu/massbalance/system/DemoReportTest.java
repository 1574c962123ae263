package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.stack.DemoFeed;
import eu.massbalance.stack.Identity;
import eu.massbalance.testinfra.TestKafka;
import eu.massbalance.testinfra.Tokens;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's year, loaded exactly as the local stack loads it, and its yearly report: every
 * covered, tax-liable quantity of 2025 appears once, nothing left uncovered appears at all, and
 * the report's total equals what the year's closed periods drew for the claims they covered.
 */
class DemoReportTest extends SystemTest {

    /** The local stack's demo callers, signed by the key these services trust. */
    static final Map<String, Tokens.Principal> DEMO_USERS = Map.of(
            "erp", new Tokens.Principal("service-account-demo-erp", Identity.ORG, Identity.ERP_CLIENT, Set.of("erp"), List.of()),
            "compliance-officer", new Tokens.Principal("anna.compliance", Identity.ORG, "massbalance-web",
                    Set.of("compliance-officer"), List.of(Identity.ORG)),
            "auditor", new Tokens.Principal("greta.auditor", null, "massbalance-web", Set.of("auditor"), List.of(Identity.ORG)),
            "admin", new Tokens.Principal("ivar.admin", null, "massbalance-web", Set.of("admin"), List.of()),
            "battery-erp", new Tokens.Principal("service-account-battery-erp", Identity.BATTERY_ORG, Identity.BATTERY_ERP_CLIENT,
                    Set.of("erp"), List.of()),
            "battery-officer", new Tokens.Principal("service-account-battery-office", Identity.BATTERY_ORG,
                    Identity.BATTERY_OFFICE_CLIENT, Set.of("compliance-officer"), List.of()));

    static final Identity DEMO_IDENTITY = new Identity() {
        @Override
        public Map<String, String> serviceEnv() {
            return Map.of();
        }

        @Override
        public String token(String role) {
            return Tokens.test(DEMO_USERS.get(role));
        }

        @Override
        public List<String> howToSignIn(String projectionUrl) {
            return List.of();
        }
    };

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void the_demo_years_report_holds_every_covered_tax_liable_quantity_once_and_reconciles_with_its_closed_periods()
            throws Exception {
        TestKafka.organisation(Identity.ORG, 3);
        TestKafka.organisation(Identity.BATTERY_ORG, 3);
        Path home = Files.createTempDirectory("demo-home");
        String summary = new DemoFeed(system.ledger.url(), system.projection.url(), home, DEMO_IDENTITY).load();
        assertTrue(summary.contains("12 periods closed"), summary);

        long asked = System.nanoTime();
        JsonNode report = asAuditor("/api/v1/organisations/" + Identity.ORG + "/reports/2025");
        System.out.printf("The demo's 2025 report: %d lines in %d ms%n", report.path("lines").size(), (System.nanoTime() - asked) / 1_000_000);
        // every 2025 period of the three depots is closed; the guidance's example site of the same organisation is still in
        // 2019, so the report says so and stays provisional (other system tests may add sites to this organisation too)
        List<String> open = new java.util.ArrayList<>();
        report.path("openPeriods").forEach(p -> open.add(p.asText()));
        assertTrue(open.contains(DemoFeed.FIGURE8 + " 2025 not ended"), open.toString());
        assertTrue(open.stream().noneMatch(p -> DemoFeed.DEPOTS.contains(p.substring(0, p.indexOf(' ')))), open.toString());
        assertTrue(report.path("provisional").asBoolean(false));
        BigDecimal reported = BigDecimal.ZERO;
        Set<String> lineKeys = new HashSet<>();
        BigDecimal allLines = BigDecimal.ZERO;
        for (JsonNode line : report.path("lines")) {
            allLines = allLines.add(new BigDecimal(line.path("quantity").asText()));
            if (DemoFeed.DEPOTS.contains(line.path("siteId").asText()) || DemoFeed.INLAND.equals(line.path("siteId").asText())) {
                reported = reported.add(new BigDecimal(line.path("quantity").asText()));
            }
            assertTrue(lineKeys.add(line.path("siteId").asText() + "/" + line.path("batchId").asText() + "/"
                    + line.path("useArea").asText()), "one line per batch portion group: " + line);
        }
        BigDecimal byCategory = BigDecimal.ZERO;
        for (JsonNode total : report.path("byFuelCategory")) {
            byCategory = byCategory.add(new BigDecimal(total.path("quantity").asText()));
        }
        assertEquals(0, allLines.compareTo(byCategory), "lines " + allLines + ", fuel category totals " + byCategory);

        // every truck of the demo is tax liable: the report holds exactly what the closed periods drew for claims
        BigDecimal drawn = BigDecimal.ZERO;
        BigDecimal claimed = BigDecimal.ZERO;
        BigDecimal uncovered = BigDecimal.ZERO;
        BigDecimal transferred = BigDecimal.ZERO;
        List<String> sites = new java.util.ArrayList<>(DemoFeed.DEPOTS);
        sites.add(DemoFeed.INLAND);
        for (String depot : sites) {
            // the inland depot is on a quarterly grid
            int months = depot.equals(DemoFeed.INLAND) ? 3 : 1;
            for (int month = 1; month <= 12; month += months) {
                JsonNode balance = asAuditor("/api/v1/sites/" + depot + "/periods/" + YearMonth.of(2025, month) + "/balance");
                assertEquals("CLOSED", balance.path("status").asText(), depot + " " + month);
                for (JsonNode product : balance.path("products")) {
                    drawn = drawn.add(new BigDecimal(product.path("out").asText()));
                    claimed = claimed.add(new BigDecimal(product.path("claimed").asText()));
                    uncovered = uncovered.add(new BigDecimal(product.path("uncovered").asText()));
                }
            }
            // what a depot sent to another site was drawn there too, but no tax liability arose for it
            for (JsonNode transfer : asAuditor("/api/v1/sites/" + depot + "/transfers?direction=out")) {
                assertEquals("RECEIVED", transfer.path("status").asText(), transfer.toString());
                transferred = transferred.add(new BigDecimal(transfer.path("sustainable").asText()));
            }
        }
        assertEquals(0, transferred.compareTo(new BigDecimal(DemoFeed.TRANSFER_SUSTAINABLE * DemoFeed.TRANSFER_MONTHS.size())),
                "the rail cars inland: " + transferred);
        assertTrue(uncovered.signum() > 0, "the demo leaves claims uncovered (Luleå's late boat, the revoked supplier)");
        assertEquals(0, reported.compareTo(drawn.subtract(transferred)),
                "report " + reported + ", drawn for claims in the closed periods " + drawn + " less transferred " + transferred);
        assertEquals(0, reported.compareTo(claimed.subtract(uncovered).subtract(transferred)),
                "report " + reported + " = claimed " + claimed + " less uncovered " + uncovered + " less transferred " + transferred);
        demoFlowsArrived();
        everyDemoSitesPagesRenderWithData();
    }

    /** The demo's flows: the rail cars inland with the June shortfall, and the battery chain down to its passport figure. */
    static void demoFlowsArrived() throws Exception {
        JsonNode deviations = asAuditor("/api/v1/deviations?siteId=" + DemoFeed.INLAND);
        assertTrue(deviations.toString().contains("TRANSFER_DIFFERENCE"), deviations.toString());
        JsonNode passport = as("battery-officer", "/api/v1/sites/" + DemoFeed.CATHODE_PLANT
                + "/deliveries/CAM-2025-02-CELL-1/recycled-content");
        JsonNode nickel = null;
        for (JsonNode element : passport.path("elements")) {
            if (element.path("element").asText().equals("Ni")) {
                nickel = element;
            }
        }
        assertTrue(nickel != null, passport.toString());
        // 6,000 kg of cathode material at 48 % nickel; the mine's primary sulphate came first (FIFO), the rest is recycled
        assertEquals(0, new BigDecimal(nickel.path("kilograms").asText()).compareTo(new BigDecimal("2880")), passport.toString());
        BigDecimal recycled = new BigDecimal(nickel.path("recycledPreConsumerKg").asText())
                .add(new BigDecimal(nickel.path("recycledPostConsumerKg").asText()));
        assertTrue(recycled.signum() > 0 && recycled.compareTo(new BigDecimal("2880")) < 0, passport.toString());
    }

    /** Each demo site in the workspace, as the auditor sees it: its page, every period with its balance, a batch's trace. */
    static void everyDemoSitesPagesRenderWithData() throws Exception {
        String cookie = "massbalance_token=" + DEMO_IDENTITY.token("auditor");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, String> page = path -> {
            try {
                HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.projection.url()
                        + path)).header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), path + ": " + response.body());
                return response.body();
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        assertTrue(page.apply("/app/?lang=en").contains(DemoFeed.DEPOTS.get(0)));
        for (String site : List.of(DemoFeed.FIGURE8, DemoFeed.DEPOTS.get(0), DemoFeed.DEPOTS.get(1), DemoFeed.DEPOTS.get(2))) {
            String sitePage = page.apply("/app/sites/" + site + "?lang=en");
            java.util.regex.Matcher periods = java.util.regex.Pattern.compile("/app/sites/" + site + "/periods/(\\d{4}-\\d{2})\"")
                    .matcher(sitePage);
            int shown = 0;
            while (periods.find()) {
                String period = page.apply("/app/sites/" + site + "/periods/" + periods.group(1) + "?lang=sv");
                assertTrue(period.contains("<svg") && period.contains("/app/sites/" + site + "/batches/"),
                        site + " " + periods.group(1) + ": a chart and batches");
                shown++;
            }
            assertTrue(shown >= 2, site + " shows its periods: " + shown);
            java.util.regex.Matcher batch = java.util.regex.Pattern.compile("/app/sites/" + site + "/batches/([^\"?]+)\"").matcher(sitePage
                    + page.apply("/app/sites/" + site + "/periods/" + (site.equals(DemoFeed.FIGURE8) ? "2019-01" : "2025-01")));
            assertTrue(batch.find(), site + " links a batch");
            assertTrue(page.apply("/app/sites/" + site + "/batches/" + batch.group(1) + "?lang=en").contains("Trace of batch"));
        }
        assertTrue(page.apply("/app/deviations?lang=en&class=MAJOR").contains("SUPPLIER_NOT_COVERED"), "the revoked supplier's MAJOR");
    }

    /** A read as the demo's auditor, who is granted the demo organisation. */
    static JsonNode asAuditor(String path) throws Exception {
        return as("auditor", path);
    }

    static JsonNode as(String role, String path) throws Exception {
        return json(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(system.projection.url() + path)).header("Authorization", "Bearer " + DEMO_IDENTITY.token(role))
                .GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    static JsonNode json(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return LedgerJson.read(response.body(), JsonNode.class);
    }
}
