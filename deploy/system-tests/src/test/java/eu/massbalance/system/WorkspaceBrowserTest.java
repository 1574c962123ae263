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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person signs in to the workspace in a real browser (Chromium): sent to the provider's login
 * page (Keycloak, whose client for the workspace requires PKCE with S256), back with a code the
 * projection exchanges, and shown the pages in Swedish; the token lives in an HttpOnly cookie
 * that page scripts cannot read; signing out ends it. Needs the Debian packages chromium and
 * chromium-driver, which {@code .ci/run} installs.
 */
class WorkspaceBrowserTest {

    @Test
    void a_person_signs_in_through_the_provider_with_pkce_sees_the_workspace_and_signs_out() throws Exception {
        Path javaHome = KeycloakProcess.javaHome().orElseThrow(() -> new AssertionError("Keycloak needs a JDK 21+"));
        Path logs = Files.createDirectories(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/service-logs"));
        String kafka = TestKafka.bootstrapServers(Topics.ALL, 3);
        TestKafka.organisation("demo-org", 3);
        Path keycloakHome = SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/keycloak-browser");
        try (KeycloakProcess keycloak = KeycloakProcess.start(SystemUnderTest.REPOSITORY, keycloakHome, Ports.free(), javaHome,
                logs.resolve("keycloak-browser.log"));
             ServiceProcess projection = ServiceProcess.start("projection-service", SystemUnderTest.REPOSITORY.resolve("projection-service"),
                     Ports.free(), Map.ofEntries(
                             Map.entry("MASSBALANCE_OIDC_KEYS", keycloak.jwks()),
                             Map.entry("MASSBALANCE_OIDC_ISSUER", keycloak.issuer()),
                             Map.entry("MASSBALANCE_WEB_ISSUER", keycloak.issuer()),
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
            projection.awaitReady(Duration.ofMinutes(2));
            WebDriver browser = WorkspaceScreenshots.browser();
            try {
                // the browser names the workspace by localhost, as the realm's redirect addresses do
                String base = projection.url().replace("127.0.0.1", "localhost");
                browser.get(base + "/app/deviations?lang=sv");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
                assertTrue(browser.getCurrentUrl().startsWith(keycloak.issuer().replace("127.0.0.1", "localhost"))
                                || browser.getCurrentUrl().startsWith(keycloak.issuer()), browser.getCurrentUrl());
                assertTrue(browser.getCurrentUrl().contains("code_challenge_method=S256"), "PKCE: " + browser.getCurrentUrl());
                browser.findElement(By.id("username")).sendKeys("greta.auditor");
                browser.findElement(By.id("password")).sendKeys(keycloak.secrets().password("demo-users"));
                browser.findElement(By.id("kc-login")).click();

                // back where the person was going, signed in
                wait.until(ExpectedConditions.urlContains("/app/deviations"));
                assertEquals("Avvikelser", browser.findElement(By.tagName("h1")).getText());
                assertTrue(browser.findElement(By.className("who")).getText().contains("greta.auditor"));
                Cookie token = browser.manage().getCookieNamed("massbalance_token");
                assertTrue(token != null && token.isHttpOnly(), "the token is in an HttpOnly cookie");
                assertEquals("Lax", token.getSameSite());
                browser.get(base + "/app/?lang=en");
                assertEquals("Sites", browser.findElement(By.tagName("h1")).getText());

                // signing out forgets the token and ends the provider's session: back at the workspace, the person is sent
                // to the login form again (with the provider's session still alive, it would have signed them straight in)
                browser.findElement(By.cssSelector(".who form button")).click();
                wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("username")),
                        ExpectedConditions.presenceOfElementLocated(By.id("kc-logout"))));
                if (!browser.findElements(By.id("kc-logout")).isEmpty()) {
                    browser.findElement(By.id("kc-logout")).click(); // the provider confirms a sign-out without an ID token
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
                }
                assertTrue(browser.getCurrentUrl().contains("redirect_uri=" + java.net.URLEncoder.encode(base + "/app/callback",
                        java.nio.charset.StandardCharsets.UTF_8)), browser.getCurrentUrl());
                browser.get(base + "/static/workspace.css");
                assertEquals(null, browser.manage().getCookieNamed("massbalance_token"), "the token cookie is gone");
            } finally {
                browser.quit();
            }
        }
    }
}
