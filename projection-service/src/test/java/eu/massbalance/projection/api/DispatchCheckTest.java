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

    @jakarta.inject.Inject
    eu.massbalance.projection.store.DispatchCheck check;

    @jakarta.inject.Inject
    eu.massbalance.projection.store.DispatchViews views;

    @Test
    void the_answer_from_memory_equals_the_answer_from_the_tables_and_follows_each_committed_batch() {
        String site = "dispatch-memory-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), ProjectionFlowTest.in(site, "I2", "2025-01-04", "5", "B"),
                    ProjectionFlowTest.out(site, "O1", "2025-01-05", "4"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> views.view(site).map(v -> v.seq() == 5).orElse(false));
            List<String[]> questions = List.of(new String[] {"8", "m3", null}, new String[] {"20", "m3", null},
                    new String[] {"3", "m3", "B"}, new String[] {"3", "m3", "Z"}, new String[] {"6500", "l", null});
            for (String[] q : questions) {
                eu.massbalance.contracts.Quantity quantity = new eu.massbalance.contracts.Quantity(new java.math.BigDecimal(q[0]),
                        eu.massbalance.contracts.Unit.fromSymbol(q[1]).orElseThrow());
                org.junit.jupiter.api.Assertions.assertEquals(check.fromDatabase(site, "HVO", quantity, q[2]),
                        check.check(site, "HVO", quantity, q[2]), "question " + String.join(" ", java.util.Arrays.asList(q)));
            }

            // a batch received later is drawable as soon as its batch is committed, and not before the view says so
            feed.send(ProjectionFlowTest.in(site, "I3", "2025-01-06", "7", "C"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> views.view(site).map(v -> v.seq() == 6).orElse(false));
            given().contentType("application/json").body(question("HVO", "18", "m3", null)).post("/api/v1/sites/" + site + "/dispatch-check")
                    .then().statusCode(200).body("outcome", equalTo("COVERED")).body("draws.batchId", equalTo(List.of("A", "B", "C")))
                    .body("asOfSeq", equalTo(6));
        }
        // a site this instance holds no view of is asked on a worker thread, with the caller's identity carried there
        String unknown = "dispatch-nowhere-" + UUID.randomUUID();
        given().contentType("application/json").body(question("HVO", "1", "m3", null)).post("/api/v1/sites/" + unknown + "/dispatch-check")
                .then().statusCode(403).body("code", equalTo("SITE_NOT_GRANTED"));
    }

    @jakarta.inject.Inject
    VerifiedTokens tokens;

    @Test
    void a_token_verified_once_is_remembered_only_until_it_expires() throws Exception {
        String site = "dispatch-token-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> views.view(site).isPresent());
        String path = "/api/v1/sites/" + site + "/dispatch-check";
        String token = Tokens.test(new Tokens.Principal("svc", ProjectionFlowTest.ORG, "test-erp", Set.of("erp"), List.of()),
                Duration.ofSeconds(10)); // long enough to be remembered on a busy machine, short enough to see expire
        io.restassured.specification.RequestSpecification asErp = given().config(io.restassured.RestAssured.config()
                .headerConfig(io.restassured.config.HeaderConfig.headerConfig().overwriteHeadersWithName("Authorization")))
                .header("Authorization", "Bearer " + token).contentType("application/json").body(question("HVO", "1", "m3", null));
        asErp.post(path).then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertTrue(tokens.remembers(token), "the verified token is remembered");
        asErp.post(path).then().statusCode(200);
        // past its expiry and the one second of clock skew the tests allow, the remembered token no longer passes
        Awaitility.await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> asErp.post(path).then().statusCode(401));
        // a token whose signature is not the provider's is never let through, however often it is sent
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        for (int i = 0; i < 3; i++) {
            given().config(io.restassured.RestAssured.config().headerConfig(io.restassured.config.HeaderConfig.headerConfig()
                    .overwriteHeadersWithName("Authorization"))).header("Authorization", "Bearer " + forged)
                    .contentType("application/json").body(question("HVO", "1", "m3", null)).post(path).then().statusCode(401);
        }
    }
}
