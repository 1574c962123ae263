package eu.massbalance.system;

import java.io.FileReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Looks at the workspace as a person does: Chromium signs in through the local stack's Keycloak
 * (the authorization code flow with PKCE, the login form filled in) and takes a screenshot of each
 * page, in Swedish and English, into {@code docs/screenshots/}. Not a test: with the local stack
 * running ({@code deploy/run-local}) and Chromium installed ({@code apt-get install chromium
 * chromium-driver}), run
 * <pre>
 * ./mvnw -q -pl deploy/system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=eu.massbalance.system.WorkspaceScreenshots -Drepository.root=$PWD
 * </pre>
 * Each page is checked on the way (its heading), so a broken page stops the run.
 */
public final class WorkspaceScreenshots {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:8081";
        Path repository = SystemUnderTest.REPOSITORY;
        Properties credentials = new Properties();
        try (Reader in = new FileReader(repository.resolve(".local/keycloak/credentials.properties").toFile())) {
            credentials.load(in);
        }
        Path out = Files.createDirectories(repository.resolve("docs/screenshots"));
        WebDriver browser = browser();
        try {
            browser.get(base + "/app/?lang=sv");
            // the provider's login form: the person types their name and password there, never here
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
            browser.findElement(By.id("username")).sendKeys("anna.compliance");
            browser.findElement(By.id("password")).sendKeys(credentials.getProperty("demo-users"));
            browser.findElement(By.id("kc-login")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/app/"));
            record Shot(String name, String path, String heading) {
            }
            for (Shot shot : List.of(
                    new Shot("sites-sv", "/app/?lang=sv", "Anläggningar"),
                    new Shot("sites-en", "/app/?lang=en", "Sites"),
                    new Shot("period-lulea-2025-05-sv", "/app/sites/lulea-depot/periods/2025-05?lang=sv", "Period 2025-05"),
                    new Shot("period-gavle-2025-09-en", "/app/sites/gavle-depot/periods/2025-09?lang=en&direction=INBOUND", "Period 2025-09"),
                    new Shot("trace-gavle-hvo-2025-03-en", "/app/sites/gavle-depot/batches/GAV-HVO-2025-03?lang=en", "Trace of batch"),
                    new Shot("site-goteborg-sv", "/app/sites/goteborg-terminal?lang=sv", "goteborg-terminal"),
                    new Shot("site-jonkoping-en", "/app/sites/jonkoping-depot?lang=en", "jonkoping-depot"),
                    new Shot("trace-jonkoping-hvo-2025-05-sv", "/app/sites/jonkoping-depot/batches/GOT-HVO-2025-05?lang=sv",
                            "Spårning av parti"),
                    new Shot("deviations-en", "/app/deviations?lang=en", "Deviations"))) {
                browser.get(base + shot.path());
                String heading = browser.findElement(By.tagName("h1")).getText();
                if (!heading.contains(shot.heading())) {
                    throw new IllegalStateException(shot.path() + " shows \"" + heading + "\", not \"" + shot.heading() + "\"");
                }
                Files.write(out.resolve(shot.name() + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                System.out.println("  " + shot.name() + ".png  " + heading);
            }
            // a MAJOR deviation as the compliance officer sees it, with the forms to act on it
            browser.get(base + "/app/deviations?lang=en&class=MAJOR");
            browser.findElement(By.cssSelector("a[href*='/deviations/']")).click();
            shoot(browser, out, "deviation-major-en", "Deviation");
            // an audit sample drawn from a period page, weighted by risk, with a fixed seed
            browser.get(base + "/app/sites/gavle-depot/periods/2025-09?lang=sv");
            browser.findElement(By.cssSelector("#draw-sample-details summary")).click();
            browser.findElement(By.id("sample-seed")).sendKeys("20250930");
            browser.findElement(By.cssSelector("#draw-sample button")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/samples/"));
            shoot(browser, out, "sample-gavle-2025-09-sv", "Stickprov");
        } finally {
            browser.quit();
        }
    }

    private static void shoot(WebDriver browser, Path out, String name, String heading) throws java.io.IOException {
        String shown = browser.findElement(By.tagName("h1")).getText();
        if (!shown.contains(heading)) {
            throw new IllegalStateException(browser.getCurrentUrl() + " shows \"" + shown + "\", not \"" + heading + "\"");
        }
        Files.write(out.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        System.out.println("  " + name + ".png  " + shown);
    }

    static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000", "--lang=sv");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build(),
                options);
    }
}
