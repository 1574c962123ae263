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
class WorkspaceTest {

    static final Tokens.Principal AUDITOR = new Tokens.Principal("greta.auditor", null, "massbalance-web", Set.of("auditor"),
            List.of(ProjectionFlowTest.ORG));

    /** A browser request: no Authorization header, the token in the cookie. */
    static RequestSpecification browser(Tokens.Principal who) {
        return given().redirects().follow(false).config(io.restassured.RestAssured.config().headerConfig(
                        io.restassured.config.HeaderConfig.headerConfig().overwriteHeadersWithName("Authorization")))
                .header("Authorization", "").cookie("massbalance_token", Tokens.test(who));
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
        browser(AUDITOR).get("/app/deviations?lang=en").then().statusCode(200).body(containsString("hx-trigger=\"every 10s\""))
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
