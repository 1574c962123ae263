package eu.massbalance.projection.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.projection.api.ProjectionFlowTest;
import eu.massbalance.testinfra.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The workspace's pages, signed in the way a browser is after the code flow: the provider's access
 * token in the HttpOnly cookie. Given a site with deliveries, then each page shows its figures in
 * the language asked for, and only to those the API would show them to.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
public class WorkspaceTest {

    public static final Tokens.Principal AUDITOR = new Tokens.Principal("greta.auditor", null, "massbalance-web", Set.of("auditor"),
            List.of(ProjectionFlowTest.ORG));

    /** A browser request: no Authorization header, the token in the cookie. */
    /** An API request with a bearer token of {@code who}. */
    public static RequestSpecification bearer(Tokens.Principal who) {
        return given().config(io.restassured.RestAssured.config().headerConfig(io.restassured.config.HeaderConfig.headerConfig()
                .overwriteHeadersWithName("Authorization"))).header("Authorization", "Bearer " + Tokens.test(who));
    }

    static RequestSpecification browser(Tokens.Principal who) {
        return browser(Tokens.test(who));
    }

    /** A browser request in a session: the same token cookie on every request, as a browser keeps it. */
    public static RequestSpecification browser(String session) {
        return given().redirects().follow(false).config(io.restassured.RestAssured.config().headerConfig(
                        io.restassured.config.HeaderConfig.headerConfig().overwriteHeadersWithName("Authorization")))
                .header("Authorization", "").cookie("massbalance_token", session);
    }

    @Test
    void each_page_shows_the_sites_figures_in_swedish_or_english_to_a_reader_of_the_organisation_only() {
        String site = "web-" + UUID.randomUUID().toString().substring(0, 8);
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), ProjectionFlowTest.in(site, "I2", "2025-01-04", "5", "B"),
                    ProjectionFlowTest.out(site, "O1", "2025-01-05", "12"),
                    // a claim beyond the stock, left uncovered at the close: a deviation for the board
                    ProjectionFlowTest.out(site, "O2", "2025-01-06", "5"),
                    new eu.massbalance.contracts.event.PeriodCloseRequested(site, java.time.YearMonth.of(2025, 1), "officer"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> browser(AUDITOR).get("/app/sites/{s}/periods/2025-01", site)
                .then().statusCode(200).body(containsString("O1")));

        // not signed in: off to sign in, and back here afterwards
        given().redirects().follow(false).header("Authorization", "").get("/app/sites/{s}", site).then().statusCode(303)
                .header("Location", containsString("/app/login?next=%2Fapp%2Fsites%2F" + site));

        browser(AUDITOR).get("/app/").then().statusCode(200).header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("<html lang=\"sv\">")).body(containsString("Anläggningar")).body(containsString(site));
        browser(AUDITOR).get("/app/sites/{s}/chain?lang=en", site).then().statusCode(200).body(containsString("intact, 7 events"));
        browser(new Tokens.Principal("other", null, "massbalance-web", Set.of("auditor"), List.of("other-org")))
                .get("/app/sites/{s}/chain", site).then().statusCode(403);
        browser(AUDITOR).get("/app/?lang=en").then().statusCode(200).body(containsString("<html lang=\"en\">"))
                .body(containsString("Open period")).cookie("massbalance_lang", "en");
        browser(AUDITOR).header("Accept-Language", "en-GB,en;q=0.8").get("/app/sites/{s}", site).then().statusCode(200)
                .body(containsString("Stock on hand")).body(containsString("/app/sites/" + site + "/periods/2025-01"))
                .body(containsString("/api/v1/organisations/" + ProjectionFlowTest.ORG + "/reports/2025?format=xlsx"));

        // the period: balance per product and batch, the stock chart, the movements with their batches
        String page = browser(AUDITOR).get("/app/sites/{s}/periods/2025-01?lang=en", site).then().statusCode(200)
                .body(containsString("<svg")).body(containsString("Balance per batch")).extract().asString();
        assertEquals(1, count(page, ">O1<"), "the outbound once in the movement list");
        org.junit.jupiter.api.Assertions.assertTrue(page.contains("<td class=\"num\">15</td>"), "15 m3 in");
        browser(AUDITOR).get("/app/sites/{s}/periods/2025-01?lang=en&direction=INBOUND", site).then().statusCode(200)
                .body(containsString(">I1<")).body(not(containsString(">O1<")));
        String csv = browser(AUDITOR).get("/app/sites/{s}/periods/2025-01/movements.csv", site).then().statusCode(200)
                .header("Content-Disposition", containsString("attachment")).extract().asString();
        assertEquals(5, csv.split("\r\n").length, "a heading and four movements: " + csv);
        org.junit.jupiter.api.Assertions.assertTrue(csv.contains("O1,"), csv);
        org.junit.jupiter.api.Assertions.assertTrue(csv.contains("A:10 B:2"), "O1 drew A then B: " + csv);

        // the trace of a batch, and the deviations board with its live fragment
        browser(AUDITOR).get("/app/sites/{s}/batches/B?lang=en", site).then().statusCode(200)
                .body(containsString("Trace of batch B")).body(containsString("CMR-I2"))
                .body(containsString("2025-01-04 10:00")); // 10:00+01:00, shown in the site's time zone
        browser(AUDITOR).get("/app/deviations?lang=en").then().statusCode(200).body(containsString("hx-trigger=\"major, every 60s\"")).body(containsString("/static/live.js"))
                .body(containsString("/app/sites/" + site + "/periods/2025-01")).body(containsString("raised as"));
        browser(AUDITOR).get("/app/deviations?fragment=true").then().statusCode(200).body(not(containsString("<html")))
                .body(containsString(site));

        // others: an auditor of another organisation, an ERP client, a forged cookie
        browser(new Tokens.Principal("other", null, "massbalance-web", Set.of("auditor"), List.of("other-org")))
                .get("/app/sites/{s}", site).then().statusCode(403).body(containsString("other-org"));
        browser(new Tokens.Principal("svc", ProjectionFlowTest.ORG, "test-erp", Set.of("erp"), List.of()))
                .get("/app/").then().statusCode(403);
        given().redirects().follow(false).header("Authorization", "").cookie("massbalance_token", "not.a.token")
                .get("/app/").then().statusCode(401);
        browser(AUDITOR).get("/app/sites/{s}/periods/2025-13", site).then().statusCode(404);
        browser(AUDITOR).get("/app/sites/{s}/periods/2025-01?direction=SIDEWAYS", site).then().statusCode(400);
        browser(AUDITOR).get("/app/sites/{s}/periods/2025-01/movements.csv?product=" + "P".repeat(300), site).then().statusCode(400);
    }

    static final Tokens.Principal OFFICER = new Tokens.Principal("olle.officer", ProjectionFlowTest.ORG, "massbalance-web",
            Set.of("compliance-officer"), List.of());

    @Test
    void a_compliance_officer_acts_through_forms_no_other_site_can_forge_while_an_auditor_sees_no_action_and_gets_403() {
        String officer = Tokens.test(OFFICER);
        String auditor = Tokens.test(AUDITOR);
        String site = "act-" + UUID.randomUUID().toString().substring(0, 8);
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), ProjectionFlowTest.out(site, "O1", "2025-01-06", "12"),
                    new eu.massbalance.contracts.event.PeriodCloseRequested(site, java.time.YearMonth.of(2025, 1), "officer"),
                    ProjectionFlowTest.in(site, "I2", "2025-02-03", "1", "B"));
        }
        String board = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> browser(officer).get("/app/deviations?fragment=true")
                .then().statusCode(200).extract().asString(), b -> b.contains("/app/sites/" + site + "/deviations/"));
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("/app/sites/" + site + "/deviations/([^\"]+)\"").matcher(board);
        org.junit.jupiter.api.Assertions.assertTrue(link.find(), board);
        String deviation = link.group(1);
        String page = "/app/sites/" + site + "/deviations/" + deviation;
        String actions = "/app/actions/sites/" + site + "/deviations/" + deviation;

        // the officer of the site's organisation sees the three forms, each with the session's form token
        String officerPage = browser(officer).get(page + "?lang=en").then().statusCode(200).body(containsString("Reclassify"))
                .body(containsString("action=\"" + actions + "/action-plan\"")).body(containsString("action=\"" + actions + "/closure\""))
                .body(containsString("NEGATIVE_BALANCE_AT_PERIOD_END")).extract().asString();
        String csrf = formToken(officerPage);
        // the auditor reads the same deviation without any action, and is refused if it tries anyway
        String auditorPage = browser(auditor).get(page + "?lang=en").then().statusCode(200).body(containsString("NEGATIVE_BALANCE_AT_PERIOD_END"))
                .body(not(containsString("/app/actions/"))).extract().asString();
        browser(auditor).contentType("application/x-www-form-urlencoded").formParam("csrf", formToken(auditorPage))
                .formParam("key", UUID.randomUUID().toString()).formParam("actionPlan", "Refill").post(actions + "/action-plan")
                .then().statusCode(403).body(containsString("ROLE_MISSING"));
        // an officer of another organisation likewise
        Tokens.Principal stranger = new Tokens.Principal("eve", "other-org", "massbalance-web", Set.of("compliance-officer"), List.of());
        String strangerSession = Tokens.test(stranger);
        String strangerToken = formToken(browser(strangerSession).get("/app/?lang=en").then().statusCode(200).extract().asString());
        browser(strangerSession).contentType("application/x-www-form-urlencoded").formParam("csrf", strangerToken)
                .formParam("actionPlan", "x").post(actions + "/action-plan").then().statusCode(403);

        // forged: no form token, another session's token, a form posted from another site
        browser(officer).contentType("application/x-www-form-urlencoded").formParam("actionPlan", "Refill").post(actions + "/action-plan")
                .then().statusCode(403).body(containsString("FORM_TOKEN_INVALID"));
        browser(officer).contentType("application/x-www-form-urlencoded").formParam("csrf", formToken(auditorPage))
                .formParam("actionPlan", "Refill").post(actions + "/action-plan").then().statusCode(403).body(containsString("FORM_TOKEN_INVALID"));
        browser(officer).contentType("application/x-www-form-urlencoded").header("Origin", "https://evil.example").formParam("csrf", csrf)
                .formParam("actionPlan", "Refill").post(actions + "/action-plan").then().statusCode(403)
                .body(containsString("FORM_FROM_ANOTHER_SITE"));
        browser(officer).contentType("application/x-www-form-urlencoded").header("Sec-Fetch-Site", "cross-site").formParam("csrf", csrf)
                .formParam("actionPlan", "Refill").post(actions + "/action-plan").then().statusCode(403);
        browser(officer).contentType("application/x-www-form-urlencoded").formParam("csrf", csrf).formParam("key", "<script>")
                .formParam("actionPlan", "Refill").post(actions + "/action-plan").then().statusCode(400)
                .body(containsString("IDEMPOTENCY_KEY_INVALID"));
        // a genuine form passes every check and is sent on; nothing listens at the ledger address of this test
        browser(officer).contentType("application/x-www-form-urlencoded").formParam("csrf", csrf).formParam("key", UUID.randomUUID().toString())
                .formParam("actionPlan", "Refill").post(actions + "/action-plan").then().statusCode(502)
                .body(containsString("LEDGER_UNREACHABLE"));
        // not signed in: to sign in, and back to the deviation
        given().redirects().follow(false).header("Authorization", "").contentType("application/x-www-form-urlencoded")
                .formParam("actionPlan", "x").post(actions + "/action-plan").then().statusCode(303)
                .header("Location", containsString("/app/login?next="));

        // closing the open period: the officer's button, not the auditor's
        browser(officer).get("/app/sites/{s}/periods/2025-02?lang=en", site).then().statusCode(200)
                .body(containsString("/app/actions/sites/" + site + "/periods/2025-02/close"));
        browser(auditor).get("/app/sites/{s}/periods/2025-02?lang=en", site).then().statusCode(200)
                .body(not(containsString("/periods/2025-02/close"))).body(containsString("/periods/2025-02/samples"));
        browser(officer).get("/app/sites/{s}/periods/2025-01?lang=en", site).then().statusCode(200).body(not(containsString("/close\"")));
        // signing out is a form of the workspace too
        browser(officer).contentType("application/x-www-form-urlencoded").post("/app/logout").then().statusCode(403);
        browser(officer).contentType("application/x-www-form-urlencoded").formParam("csrf", csrf).post("/app/logout").then().statusCode(303)
                .cookie("massbalance_token", "");
    }

    public static String formToken(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), "a form token on the page");
        return m.group(1);
    }

    @Test
    void business_dates_follow_the_sites_time_zone_and_the_books_show_as_they_stood_at_a_log_position() {
        String site = "zone-" + UUID.randomUUID().toString().substring(0, 8);
        // 00:30 on 5 January in Stockholm is still 4 January in UTC
        eu.massbalance.contracts.event.OutboundDelivery afterMidnight = new eu.massbalance.contracts.event.OutboundDelivery(site, "O-NIGHT",
                java.time.OffsetDateTime.parse("2025-01-05T00:30:00+01:00"), "HVO",
                eu.massbalance.contracts.Quantity.of("1", eu.massbalance.contracts.Unit.M3), "haulier", "TRANSPORT", true,
                List.of(eu.massbalance.contracts.event.BatchLine.claim("1")), null, null);
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), ProjectionFlowTest.in(site, "I2", "2025-01-04", "5", "B"),
                    afterMidnight);
        }
        String auditor = Tokens.test(AUDITOR);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> browser(auditor).get("/app/sites/{s}/periods/2025-01", site)
                .then().statusCode(200).body(containsString("O-NIGHT")));

        // the API's date filters: a business date in the site's zone, "to" taking the whole day
        List<String> fourth = bearer(AUDITOR).get("/api/v1/sites/{s}/movements?from=2025-01-04&to=2025-01-04", site).then()
                .statusCode(200).extract().jsonPath().getList("items.deliveryId");
        assertEquals(List.of("I2"), fourth);
        assertEquals(List.of("O-NIGHT"), bearer(AUDITOR).get("/api/v1/sites/{s}/movements?from=2025-01-05&to=2025-01-05", site).then()
                .statusCode(200).extract().jsonPath().getList("items.deliveryId"));
        // without a window: every movement in log order, in pages, each with its event as journaled (an object, not a string)
        io.restassured.path.json.JsonPath all = bearer(AUDITOR).get("/api/v1/sites/{s}/movements?limit=2", site).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("I1", "I2"), all.getList("items.deliveryId"));
        assertEquals("InboundDelivery", all.getString("items[0].event.eventType"));
        assertEquals("I1", all.getString("items[0].event.deliveryId"));
        assertEquals(List.of("O-NIGHT"), bearer(AUDITOR).get("/api/v1/sites/{s}/movements?limit=2&after=" + all.getString("next"), site)
                .then().statusCode(200).extract().jsonPath().getList("items.deliveryId"));

        // the workspace's filters likewise, on the page and in its CSV
        browser(auditor).get("/app/sites/{s}/periods/2025-01?lang=en&fromDate=2025-01-04&toDate=2025-01-04", site).then().statusCode(200)
                .body(containsString(">I2<")).body(not(containsString(">O-NIGHT<"))).body(not(containsString(">I1<")));
        String csv = browser(auditor).get("/app/sites/{s}/periods/2025-01/movements.csv?fromDate=2025-01-05&toDate=2025-01-31", site)
                .then().statusCode(200).extract().asString();
        assertEquals(2, csv.split("\r\n").length, csv);
        org.junit.jupiter.api.Assertions.assertTrue(csv.contains("O-NIGHT,"), csv);
        browser(auditor).get("/app/sites/{s}/periods/2025-01?fromDate=4th", site).then().statusCode(400);

        // the books as they stood after event 3 (configured, certificate, I1): 10 in, not 15, and only I1 listed
        String asOf = browser(auditor).get("/app/sites/{s}/periods/2025-01?lang=en&asOfSeq=3", site).then().statusCode(200)
                .body(containsString("log position 3")).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(asOf.contains("<td class=\"num\">10</td>") && !asOf.contains("<td class=\"num\">15</td>"),
                "10 in as of event 3");
        assertEquals(0, count(asOf, ">I2<"));
        org.junit.jupiter.api.Assertions.assertFalse(asOf.contains("/app/actions/sites/" + site + "/periods/2025-01/close"));
        // a business date: the end of that day; everything was recorded today, so tomorrow shows it all, a day long past nothing
        String tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Stockholm")).plusDays(1).toString();
        browser(auditor).get("/app/sites/{s}/periods/2025-01?lang=en&asOfDate=" + tomorrow, site).then().statusCode(200)
                .body(containsString(">I2<")).body(containsString("<td class=\"num\">15</td>"));
        bearer(AUDITOR).get("/api/v1/sites/{s}/periods/2025-01/balance?asOf=" + tomorrow, site).then().statusCode(200)
                .body("asOfSeq", org.hamcrest.Matchers.equalTo(5));
        browser(auditor).get("/app/sites/{s}/periods/2025-01?asOfDate=2000-01-01", site).then().statusCode(404);
        browser(auditor).get("/app/sites/{s}/periods/2025-01?asOfDate=yesterday", site).then().statusCode(400);
        browser(auditor).get("/app/sites/{s}/periods/2025-01?asOfSeq=-1", site).then().statusCode(400);
    }

    @Test
    void sign_in_says_when_no_provider_is_configured_and_never_sends_a_person_elsewhere_afterwards() {
        given().redirects().follow(false).header("Authorization", "").get("/app/login").then().statusCode(503)
                .body(containsString("MASSBALANCE_WEB_ISSUER"));
        assertEquals("/app/sites/x/periods/2025-01?lang=en", SignIn.safeNext("/app/sites/x/periods/2025-01?lang=en"));
        assertEquals("/app/", SignIn.safeNext("https://evil.example/app/"));
        assertEquals("/app/", SignIn.safeNext("//evil.example/app/"));
        assertEquals("/app/", SignIn.safeNext("/app//evil.example"));
        assertEquals("/app/", SignIn.safeNext(null));
        // a callback this browser did not start goes back to the start
        given().redirects().follow(false).header("Authorization", "").get("/app/callback?code=x&state=y").then().statusCode(303)
                .header("Location", containsString("/app/login"));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
