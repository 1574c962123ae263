package eu.massbalance.ledger.api;

import static eu.massbalance.ledger.Requests.putSite;
import static eu.massbalance.ledger.Requests.site;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Topics;
import eu.massbalance.ledger.scheduling.AutoClose;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SiteAndControlResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void authenticate() {
        eu.massbalance.ledger.Requests.authenticate();
    }


    @Inject
    AutoClose autoClose;

    @Test
    void a_site_is_registered_then_changed_and_each_version_is_on_its_log() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", 10)).statusCode(201).body("created", equalTo(true));
        putSite(site, site(3, "2025-01", 10)).statusCode(200).body("created", equalTo(false));
        given().when().get("/api/v1/sites/{site}", site).then().statusCode(200).body("periodMonths", equalTo(3));
        assertEquals(2, eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("SiteConfigured"), 2, Duration.ofSeconds(20)).size());
    }

    @Test
    void period_lengths_follow_R08() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(13, "2025-01", null)).statusCode(400).body("errors.code", hasItem("PERIOD_LENGTH_INVALID"));
        putSite(site, site(5, "2025-01", null)).statusCode(400).body("errors.code", hasItem("PERIOD_LENGTH_INVALID"));
        putSite(site, site(6, "2025-01", null)).statusCode(400).body("errors.code", hasItem("PERIOD_REASON_REQUIRED"));
        putSite(site, site(6, "2025-01", null).replace("\"periodReason\": null", "\"periodReason\": \"harvest\""))
                .statusCode(201);
    }

    @Test
    void the_period_grid_is_locked_once_deliveries_are_accepted() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        eu.massbalance.ledger.Requests.postDelivery(site, eu.massbalance.ledger.Requests.outbound("D-1", "5")).statusCode(202);
        putSite(site, site(3, "2025-01", null)).statusCode(409).body("code", equalTo("PERIOD_GRID_LOCKED"));
    }

    @Test
    void a_certificate_is_appended_to_every_site_and_to_sites_registered_later() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        String supplier = "supplier-" + UUID.randomUUID();
        given().contentType("application/json").body("""
                {"scheme": "ISCC EU", "validFrom": "2025-01-01", "validTo": "2025-12-31", "products": ["HVO"]}""")
                .when().put("/api/v1/suppliers/{s}/certificates/C-1", supplier).then().statusCode(200);
        given().contentType("application/json").body("{\"effectiveFrom\": \"2025-06-01\", \"reason\": \"suspended\"}")
                .when().post("/api/v1/suppliers/{s}/certificates/C-1/revocation", supplier).then().statusCode(200);
        given().contentType("application/json").body("{\"effectiveFrom\": \"2025-06-01\"}")
                .when().post("/api/v1/suppliers/{s}/certificates/NOPE/revocation", supplier).then().statusCode(404);
        given().contentType("application/json").body("{\"validFrom\": \"2025-01-01\"}")
                .when().put("/api/v1/suppliers/{s}/certificates/C-2", supplier).then().statusCode(400)
                .body("errors.field", hasItem("scheme"));
        String later = "site-" + UUID.randomUUID();
        putSite(later, site(1, "2025-01", null)).statusCode(201);
        for (String s : List.of(site, later)) {
            var records = eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                    r -> s.equals(r.key()) && r.value().contains(supplier), 2, Duration.ofSeconds(20));
            assertTrue(records.stream().anyMatch(r -> r.value().contains("CertificateRegistered")), s);
            assertTrue(records.stream().anyMatch(r -> r.value().contains("CertificateRevoked")), s);
        }
    }

    @Test
    void a_period_is_closed_once_and_only_after_it_ended() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        String first = given().post("/api/v1/sites/{s}/periods/2025-01/close", site).then().statusCode(202).extract().path("eventId");
        String again = given().post("/api/v1/sites/{s}/periods/2025-01/close", site).then().statusCode(202).extract().path("eventId");
        assertEquals(first, again);
        given().post("/api/v1/sites/{s}/periods/2025-13/close", site).then().statusCode(400);
        String future = YearMonth.now().plusMonths(2).toString();
        given().post("/api/v1/sites/{s}/periods/{p}/close", site, future).then().statusCode(409)
                .body("code", equalTo("PERIOD_NOT_ENDED"));
    }

    @Test
    void the_scheduler_closes_each_ended_period_once_after_the_grace_days() {
        String site = "site-" + UUID.randomUUID();
        YearMonth first = YearMonth.now().minusMonths(3);
        putSite(site, site(1, first.toString(), 0)).statusCode(201);
        List<String> requested = autoClose.closeDuePeriods().stream().filter(s -> s.startsWith(site)).toList();
        assertEquals(List.of(site + "/" + first, site + "/" + first.plusMonths(1), site + "/" + first.plusMonths(2)), requested);
        assertTrue(autoClose.closeDuePeriods().stream().noneMatch(s -> s.startsWith(site)));
    }

    @Test
    void the_deviation_workflow_commands_need_their_texts() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        given().contentType("application/json").body("{\"newClass\": \"MINOR\"}")
                .post("/api/v1/sites/{s}/deviations/d-1/reclassification", site).then().statusCode(400)
                .body("errors.field", hasItem("reason"));
        given().contentType("application/json").body("{\"newClass\": \"MINOR\", \"reason\": \"boat delayed by ice\"}")
                
                .post("/api/v1/sites/{s}/deviations/d-1/reclassification", site).then().statusCode(202);
        given().contentType("application/json").body("{\"actionPlan\": \"order earlier\"}")
                .post("/api/v1/sites/{s}/deviations/d-1/action-plan", site).then().statusCode(202);
        given().contentType("application/json").body("{\"resolution\": \"done\"}")
                .post("/api/v1/sites/{s}/deviations/d-1/closure", site).then().statusCode(202);
        var records = eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("Deviation"), 3, Duration.ofSeconds(20));
        assertEquals(3, records.size());
        assertTrue(records.get(0).value().contains("officer-anna"));
    }

    @Test
    void a_workflow_command_sent_twice_with_one_idempotency_key_is_one_event() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        String first = plan(site, "key-1", "order earlier").statusCode(202).extract().path("eventId");
        String again = plan(site, "key-1", "order earlier").statusCode(202).extract().path("eventId");
        assertEquals(first, again);
        plan(site, "key-1", "another plan").statusCode(409).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        plan(site, "key-2", "another plan").statusCode(202);
        plan(site, "k".repeat(201), "x").statusCode(400).body("errors.field", hasItem("Idempotency-Key"));
        var records = eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("DeviationActionPlanned"), 2, Duration.ofSeconds(20));
        assertEquals(2, records.size(), "key-1 once, key-2 once");
        assertEquals(first, new String(records.get(0).headers().lastHeader("ce_id").value(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static io.restassured.response.ValidatableResponse plan(String site, String key, String text) {
        return given().contentType("application/json").header("Idempotency-Key", key)
                .body("{\"actionPlan\": \"" + text + "\"}")
                .post("/api/v1/sites/{s}/deviations/d-1/action-plan", site).then();
    }

    @Test
    void R05_a_merge_is_checked_for_its_shape_and_appended_once_per_target_batch() {
        String site = "site-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
        merge(site, "{\"product\": \"HVO\", \"sourceBatchIds\": [\"A\"], \"targetBatchId\": \"AB\", \"reason\": \"one tank\"}")
                .statusCode(400).body("errors.code", hasItem("MERGE_INVALID"));
        merge(site, "{\"product\": \"HVO\", \"sourceBatchIds\": [\"A\", \"B\"], \"targetBatchId\": \"A\", \"reason\": \"one tank\"}")
                .statusCode(400).body("errors.code", hasItem("BATCH_ID_IN_USE"));
        merge(site, "{\"product\": \"ETHANOL\", \"sourceBatchIds\": [\"A\", \"B\"], \"targetBatchId\": \"AB\"}")
                .statusCode(400).body("errors.code", hasItem("PRODUCT_NOT_AT_SITE")).body("errors.field", hasItem("reason"));
        String body = "{\"product\": \"HVO\", \"sourceBatchIds\": [\"A\", \"B\"], \"targetBatchId\": \"AB\", \"reason\": \"one tank\"}";
        String first = merge(site, body).statusCode(202).extract().path("eventId");
        assertEquals(first, merge(site, body).statusCode(202).extract().path("eventId"));
        merge(site, body.replace("\"B\"", "\"C\"")).statusCode(409).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        var records = eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("BatchesMerged"), 1, Duration.ofSeconds(20));
        assertEquals(1, records.size());
        assertTrue(records.get(0).value().contains("\"requestedBy\":\"officer-anna via test-erp\""), "the token's subject and client");
    }

    private static io.restassured.response.ValidatableResponse merge(String site, String body) {
        return given().contentType("application/json").body(body)
                .post("/api/v1/sites/{s}/batch-merges", site).then();
    }

    /**
     * A site's row commits only after the broker acknowledged its append. With the caller's
     * transaction carried onto the producer's thread, about one commit in a thousand failed.
     */
    @Test
    void site_changes_commit_after_their_appends_every_time() {
        String site = "site-" + UUID.randomUUID();
        for (int i = 0; i < 300; i++) {
            putSite(site, site(1, "2025-01", i)).statusCode(i == 0 ? 201 : 200);
        }
        given().when().get("/api/v1/sites/{site}", site).then().statusCode(200).body("autoCloseAfterDays", equalTo(299));
    }
}
