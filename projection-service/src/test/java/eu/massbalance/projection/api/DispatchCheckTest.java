package eu.massbalance.projection.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.testinfra.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Given stock on hand, then the dispatch check names the batches FIFO would draw, and changes nothing. */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class DispatchCheckTest {

    @BeforeEach
    void signIn() {
        ProjectionFlowTest.authenticate();
    }

    /** A request as another caller: its token replaces the default one. */
    static io.restassured.specification.RequestSpecification as(Tokens.Principal caller) {
        return given().config(io.restassured.RestAssured.config().headerConfig(io.restassured.config.HeaderConfig.headerConfig()
                .overwriteHeadersWithName("Authorization"))).header("Authorization", "Bearer " + Tokens.test(caller));
    }

    static String question(String product, String amount, String unit, String batchId) {
        return "{\"product\": \"" + product + "\", \"quantity\": {\"amount\": \"" + amount + "\", \"unit\": \"" + unit + "\"}"
                + (batchId == null ? "" : ", \"batchId\": \"" + batchId + "\"") + "}";
    }

    @Test
    void the_check_draws_fifo_or_the_named_batch_reports_the_rest_open_and_appends_nothing() {
        String site = "dispatch-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), ProjectionFlowTest.in(site, "I2", "2025-01-04", "5", "B"),
                    ProjectionFlowTest.out(site, "O1", "2025-01-05", "4"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/stock", site)
                .then().body("onHand", equalTo(List.of("6", "5"))));
        String path = "/api/v1/sites/" + site + "/dispatch-check";

        given().contentType("application/json").body(question("HVO", "8", "m3", null)).post(path).then().statusCode(200)
                .body("outcome", equalTo("COVERED")).body("draws.batchId", equalTo(List.of("A", "B")))
                .body("draws.amount", equalTo(List.of("6", "2"))).body("sustainableOnHand", equalTo("11"))
                .body("sustainableOnHandAfter", equalTo("3")).body("openPeriod", equalTo("2025-01"));
        given().contentType("application/json").body(question("HVO", "20", "m3", null)).post(path).then().statusCode(200)
                .body("outcome", equalTo("OPEN_CLAIM")).body("covered", equalTo("11")).body("shortfall", equalTo("9"));
        given().contentType("application/json").body(question("HVO", "3", "m3", "B")).post(path).then().statusCode(200)
                .body("outcome", equalTo("COVERED")).body("draws", hasSize(1)).body("draws[0].batchId", equalTo("B"));
        given().contentType("application/json").body(question("HVO", "3000", "l", null)).post(path).then().statusCode(200)
                .body("quantity", equalTo("3")).body("unit", equalTo("m3")).body("draws[0].amount", equalTo("3"));

        // bad questions, and callers who may not ask
        given().contentType("application/json").body(question("FAME", "1", "m3", null)).post(path).then().statusCode(400)
                .body("code", equalTo("PRODUCT_UNKNOWN"));
        given().contentType("application/json").body(question("HVO", "-1", "m3", null)).post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("quantity.amount"));
        given().contentType("application/json").body(question("HVO", "1", "kg", null)).post(path).then().statusCode(400)
                .body("code", equalTo("UNIT_NOT_CONVERTIBLE"));
        as(new Tokens.Principal("greta", null, null, Set.of("auditor"),
                List.of(ProjectionFlowTest.ORG))).contentType("application/json").body(question("HVO", "1", "m3", null))
                .post(path).then().statusCode(403).body("code", equalTo("ROLE_MISSING"));
        as(new Tokens.Principal("svc", "other-org", "other-erp", Set.of("erp"),
                List.of())).contentType("application/json").body(question("HVO", "1", "m3", null))
                .post(path).then().statusCode(403).body("code", equalTo("SITE_NOT_GRANTED"));
        as(new Tokens.Principal("svc", ProjectionFlowTest.ORG, "test-erp",
                Set.of("erp"), List.of())).contentType("application/json").body(question("HVO", "1", "m3", null))
                .post(path).then().statusCode(200).body("draws[0].batchId", equalTo("A"));

        // nothing was reserved or appended
        given().get("/api/v1/sites/{s}/stock", site).then().body("onHand", equalTo(List.of("6", "5")));
        given().get("/api/v1/sites/{s}/audit/verify", site).then().body("events", equalTo(5));
    }
}
