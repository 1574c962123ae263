package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Topics;
import eu.massbalance.stack.KeycloakProcess;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.Ports;
import eu.massbalance.testinfra.Postgres;
import eu.massbalance.testinfra.ServiceProcess;
import eu.massbalance.testinfra.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * People in a real browser (Chromium) against the real services and identity provider. A
 * compliance officer signs in (authorization code flow with PKCE S256 at Keycloak), acts on a
 * deviation and closes a period from the workspace, each action reaching ledger-service as that
 * person and coming back through the log; a MAJOR deviation arrives on the open board over
 * Server-Sent Events; the yearly report downloads with the session. An auditor then sees the same
 * pages without any action and is refused (403) when trying anyway. The token lives in an HttpOnly
 * cookie that page scripts cannot read; signing out ends the session. Screenshots of each page go
 * to {@code target/screenshots/}. Needs the Debian packages chromium and chromium-driver, which
 * {@code .ci/run} installs.
 */
class WorkspaceBrowserTest {

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void an_officer_acts_from_the_browser_as_themself_MAJOR_arrives_live_and_an_auditor_may_look_but_not_act() throws Exception {
        Path javaHome = KeycloakProcess.javaHome().orElseThrow(() -> new AssertionError("Keycloak needs a JDK 21+"));
        Path logs = Files.createDirectories(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/service-logs"));
        Path shots = Files.createDirectories(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/screenshots"));
        String kafka = TestKafka.bootstrapServers(Topics.ALL, 3);
        TestKafka.organisation("demo-org", 3);
        Path keycloakHome = SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/keycloak-browser");
        try (KeycloakProcess keycloak = KeycloakProcess.start(SystemUnderTest.REPOSITORY, keycloakHome, Ports.free(), javaHome,
                logs.resolve("keycloak-browser.log"));
             ServiceProcess ledger = IdentityProviderTest.ledgerWith(keycloak, kafka, "ledger_browser",
                     logs.resolve("ledger-service-browser.log"));
             ServiceProcess projection = ServiceProcess.start("projection-service", SystemUnderTest.REPOSITORY.resolve("projection-service"),
                     Ports.free(), Map.ofEntries(
                             Map.entry("MASSBALANCE_OIDC_KEYS", keycloak.jwks()),
                             Map.entry("MASSBALANCE_OIDC_ISSUER", keycloak.issuer()),
                             Map.entry("MASSBALANCE_WEB_ISSUER", keycloak.issuer()),
                             Map.entry("MASSBALANCE_LEDGER_URL", ledger.url()),
                             Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka),
                             Map.entry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"),
                             Map.entry("KAFKA_USERNAME", KafkaAccess.PROJECTION_SERVICE),
                             Map.entry("KAFKA_PASSWORD", TestKafka.password(KafkaAccess.PROJECTION_SERVICE)),
                             Map.entry("MP_MESSAGING_INCOMING_LEDGER_IN_GROUP_ID", "projection-browser"),
                             Map.entry("QUARKUS_DATASOURCE_JDBC_URL", Postgres.shared().databaseWithRoles("projection_browser",
                                     "projection_owner", Postgres.testPassword("projection_owner"), "projection_app",
                                     Postgres.testPassword("projection_app"))),
                             Map.entry("QUARKUS_DATASOURCE_USERNAME", "projection_app"),
                             Map.entry("QUARKUS_DATASOURCE_PASSWORD", Postgres.testPassword("projection_app")),
                             Map.entry("QUARKUS_FLYWAY_USERNAME", "projection_owner"),
                             Map.entry("QUARKUS_FLYWAY_PASSWORD", Postgres.testPassword("projection_owner"))),
                     logs.resolve("projection-service-browser.log"))) {
            ledger.awaitReady(Duration.ofMinutes(2));
            projection.awaitReady(Duration.ofMinutes(2));

            // given a depot whose January claim was not covered: a deviation waits on the board
            String site = "web-" + UUID.randomUUID().toString().substring(0, 8);
            String supplier = "sup-" + site;
            String admin = keycloak.userToken("ivar.admin");
            String officer = keycloak.userToken("anna.compliance");
            String erp = keycloak.clientToken("demo-erp");
            expect(Set.of(200, 201), send(ledger, "PUT", "/api/v1/organisations/demo-org", admin, "{\"name\": \"Demo\"}"));
            expect(Set.of(201), send(ledger, "PUT", "/api/v1/sites/" + site, officer, "{\"name\": \"Web depot\", \"periodMonths\": 1,"
                    + " \"firstPeriod\": \"2025-01\", \"products\": [{\"product\": \"HVO\", \"unit\": \"m3\"}]}"));
            expect(Set.of(200), send(ledger, "PUT", "/api/v1/organisations/demo-org/erp-clients/demo-erp/sites/" + site, admin, null));
            expect(Set.of(200, 201), send(ledger, "PUT", "/api/v1/suppliers/" + supplier + "/certificates/C-1", officer,
                    "{\"scheme\": \"ISCC EU\", \"validFrom\": \"2024-01-01\"}"));
            expect(Set.of(200, 202), send(ledger, "POST", "/api/v1/sites/" + site + "/deliveries:batch", erp, "{\"deliveries\": ["
                    + inbound("W-IN-1", "2025-01-03", supplier) + "," + """
                    {"deliveryId": "W-OUT-1", "direction": "OUTBOUND", "occurredAt": "2025-01-15T07:40:00+01:00", "product": "HVO",
                     "quantity": {"amount": "12", "unit": "m3"}, "customerId": "haulier-1", "useArea": "TRANSPORT",
                     "taxLiability": true, "sustainable": [{"amount": "12"}]}""" + "," + inbound("W-IN-2", "2025-02-03",
                    supplier) + "," + inbound("W-IN-3", "2025-03-03", supplier) + "]}"));
            expect(Set.of(202), send(ledger, "POST", "/api/v1/sites/" + site + "/periods/2025-01/close", officer, null));
            String reader = keycloak.userToken("greta.auditor");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> send(projection, "GET",
                    "/api/v1/deviations?siteId=" + site, reader, null).body().contains("NEGATIVE_BALANCE_AT_PERIOD_END"));

            WebDriver browser = WorkspaceScreenshots.browser();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                // the browser names the workspace by localhost, as the realm's redirect addresses do
                String base = projection.url().replace("127.0.0.1", "localhost");

                // the officer signs in at the provider (PKCE S256) and lands where they were going
                browser.get(base + "/app/deviations?lang=en");
                signIn(browser, wait, keycloak, "anna.compliance");
                wait.until(ExpectedConditions.urlContains("/app/deviations"));
                assertEquals("Deviations", browser.findElement(By.tagName("h1")).getText());
                Cookie token = browser.manage().getCookieNamed("massbalance_token");
                assertTrue(token != null && token.isHttpOnly(), "the token is in an HttpOnly cookie");
                assertEquals("Lax", token.getSameSite());
                shot(browser, shots, "deviations-board");

                // a deviation: add the action plan, then close it; each comes back through the log
                browser.findElement(By.cssSelector("a[href*='/app/sites/" + site + "/deviations/']")).click();
                String deviationPage = browser.getCurrentUrl().replaceAll("\\?.*", "");
                assertTrue(browser.findElement(By.cssSelector("dl.facts")).getText().contains("NEGATIVE_BALANCE_AT_PERIOD_END"));
                browser.findElement(By.id("actionPlan")).sendKeys("Refill from the next boat; recount the tank");
                browser.findElement(By.cssSelector("#plan button")).click();
                wait.until(ExpectedConditions.urlContains("sent="));
                assertTrue(browser.findElement(By.cssSelector(".notice")).getText().contains("event"), "the person is told it was sent");
                shot(browser, shots, "deviation-sent");
                awaitPage(browser, deviationPage + "?lang=en", page -> page.contains("ACTION_PLANNED")
                        && page.contains("Refill from the next boat"));
                browser.findElement(By.id("resolution")).sendKeys("Refilled on 2025-02-03; the count agreed");
                browser.findElement(By.cssSelector("#closure button")).click();
                wait.until(ExpectedConditions.urlContains("sent="));
                awaitPage(browser, deviationPage + "?lang=en", page -> page.contains(">CLOSED<") && page.contains("the count agreed"));
                assertTrue(browser.findElements(By.cssSelector("form[action*='/app/actions/']")).isEmpty(), "a closed deviation has no action");
                shot(browser, shots, "deviation-closed");
                // the actor on the log is the person who signed in, through the workspace's client
                String actor = IdentityProviderTest.claims(officer).path("sub").asText() + " via massbalance-web";
                String history = send(projection, "GET", "/api/v1/deviations?siteId=" + site, reader, null).body();
                assertTrue(history.contains("action planned by " + actor) && history.contains("closed by " + actor), history);

                // closing February from its page
                browser.get(base + "/app/sites/" + site + "/periods/2025-02?lang=en");
                browser.findElement(By.cssSelector("#close-period button")).click();
                wait.until(ExpectedConditions.urlContains("sent="));
                awaitPage(browser, base + "/app/sites/" + site + "/periods/2025-02?lang=en", page -> page.contains(
                        "<span class=\"status\">CLOSED</span>"));
                shot(browser, shots, "period-closed");

                // a MAJOR deviation arrives on the open board over Server-Sent Events (the list itself refreshes once a minute)
                browser.get(base + "/app/deviations?lang=en");
                wait.until(d -> "true".equals(d.findElement(By.id("live-news")).getAttribute("data-connected")));
                expect(Set.of(200, 202), send(ledger, "POST", "/api/v1/suppliers/" + supplier + "/certificates/C-1/revocation", officer,
                        "{\"effectiveFrom\": \"2025-01-01\", \"reason\": \"withdrawn by the scheme\"}"));
                new WebDriverWait(browser, Duration.ofSeconds(40)).until(d -> d.findElement(By.id("live-news")).getText().contains(site));
                assertTrue(browser.findElement(By.id("live-news")).getText().contains("SUPPLIER_NOT_COVERED"));
                wait.until(d -> d.findElement(By.id("deviation-rows")).getText().contains("MAJOR"));
                shot(browser, shots, "major-live");

                // the yearly report downloads with the session's cookie from the site page's link
                browser.get(base + "/app/sites/" + site + "?lang=en");
                shot(browser, shots, "site");
                String csvLink = browser.findElement(By.cssSelector("a[href*='format=csv']")).getAttribute("href");
                HttpResponse<String> report = http.send(HttpRequest.newBuilder(URI.create(csvLink)).header("Cookie",
                        "massbalance_token=" + browser.manage().getCookieNamed("massbalance_token").getValue()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, report.statusCode(), report.body());
                assertTrue(report.body().contains(site), "the report holds the depot's covered outbound");

                // signing out ends both sessions: back at the provider's login form
                browser.findElement(By.cssSelector(".who form button")).click();
                wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("username")),
                        ExpectedConditions.presenceOfElementLocated(By.id("kc-logout"))));
                if (!browser.findElements(By.id("kc-logout")).isEmpty()) {
                    browser.findElement(By.id("kc-logout")).click(); // the provider confirms a sign-out without an ID token
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
                }
                browser.get(base + "/static/workspace.css");
                assertEquals(null, browser.manage().getCookieNamed("massbalance_token"), "the token cookie is gone");

                // the auditor reads the same deviation and period without any action, and is refused when trying anyway
                browser.get(deviationPage.replace("127.0.0.1", "localhost") + "?lang=sv");
                signIn(browser, wait, keycloak, "greta.auditor");
                wait.until(ExpectedConditions.urlContains("/deviations/"));
                assertTrue(browser.findElement(By.cssSelector("dl.facts")).getText().contains("NEGATIVE_BALANCE_AT_PERIOD_END"));
                assertTrue(browser.findElements(By.cssSelector("form[action*='/app/actions/']")).isEmpty(), "no action for an auditor");
                shot(browser, shots, "deviation-auditor");
                browser.get(base + "/app/sites/" + site + "/periods/2025-03?lang=sv");
                assertTrue(browser.findElements(By.id("close-period")).isEmpty(), "no close button for an auditor");
                shot(browser, shots, "period-auditor");
                String formToken = browser.findElement(By.cssSelector(".who input[name=csrf]")).getAttribute("value");
                String auditorCookie = browser.manage().getCookieNamed("massbalance_token").getValue();
                HttpResponse<String> tried = http.send(HttpRequest.newBuilder(URI.create(base + "/app/actions/sites/" + site
                                + "/periods/2025-03/close")).header("Cookie", "massbalance_token=" + auditorCookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + formToken)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, tried.statusCode(), tried.body());
            } finally {
                browser.quit();
            }
        }
    }

    /** 10 m3 of HVO from used cooking oil, one batch named after the delivery. */
    static String inbound(String id, String date, String supplier) {
        return """
                {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "%sT06:00:00+01:00", "product": "HVO",
                 "quantity": {"amount": "10", "unit": "m3"}, "supplierId": "%s", "transportDocument": "BL-%s",
                 "sustainable": [{"batchId": "B-%s", "amount": "10", "characteristics": {"profile": "red-biofuel-v1",
                   "fuelCategory": "HVO", "rawMaterial": "Used cooking oil", "countryOfOrigin": "NL", "rawMaterialGroup": "OTHER",
                   "annexIX": "B", "residueOrWaste": true, "celluloseType": "NONE",
                   "lowerHeatingValue": {"amount": "34.4", "unit": "MJ/l"}, "ghgEmissions": {"amount": "12.0", "unit": "gCO2e/MJ"},
                   "ghgMethod": "ACTUAL", "voluntaryScheme": "ISCC EU", "installationStart": "2012-05-01",
                   "proofOfSustainability": "PoS-%s"}}]}""".formatted(id, date, supplier, id, id, id);
    }

    static void signIn(WebDriver browser, WebDriverWait wait, KeycloakProcess keycloak, String user) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().contains("code_challenge_method=S256"), "PKCE: " + browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(keycloak.secrets().password("demo-users"));
        browser.findElement(By.id("kc-login")).click();
    }

    /** Reloads a page until it shows what is awaited: the projection applies the person's command moments later. */
    static void awaitPage(WebDriver browser, String url, Function<String, Boolean> shows) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            browser.get(url);
            return shows.apply(browser.getPageSource());
        });
    }

    static void shot(WebDriver browser, Path dir, String name) throws java.io.IOException {
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static void expect(Set<Integer> statuses, HttpResponse<String> response) {
        assertTrue(statuses.contains(response.statusCode()), response.statusCode() + " " + response.body());
    }

    HttpResponse<String> send(ServiceProcess service, String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path)).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json,
                        StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
