package eu.massbalance.projection.evidence;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.projection.api.ProjectionFlowTest;
import eu.massbalance.projection.web.WorkspaceTest;
import eu.massbalance.testinfra.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Audit samples through the API and the workspace, on the real broker and database: given a
 * period of movements, a sample drawn with a seed at a log position is drawn again identically,
 * even after more movements arrive; it is recorded with who drew it and kept as drawn.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class SampleTest {

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void signIn() {
        ProjectionFlowTest.authenticate();
    }

    @Test
    void a_seeded_sample_is_drawn_again_identically_at_its_log_position_recorded_with_its_seed_and_never_changed() throws Exception {
        String site = "sample-" + UUID.randomUUID().toString().substring(0, 8);
        List<LedgerEvent> events = new ArrayList<>(List.of(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                ProjectionFlowTest.in(site, "I1", "2025-01-02", "500", "A")));
        for (int i = 1; i <= 30; i++) {
            events.add(ProjectionFlowTest.out(site, "O" + i, "2025-01-" + String.format("%02d", 3 + i % 25), String.valueOf(1 + i % 9)));
        }
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(events.toArray(LedgerEvent[]::new));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/audit/verify", site)
                .then().body("events", equalTo(33)));

        JsonPath first = draw(site, "{\"periodId\": \"2025-01\", \"size\": 6, \"seed\": 424242, \"weighted\": true}");
        assertEquals(31, first.getInt("candidates"), "the inbound and the 30 outbounds");
        assertEquals(6, first.getList("items").size());
        assertEquals(424242L, first.getLong("seed"));
        assertEquals(33L, first.getLong("asOfSeq"));
        assertTrue(first.getString("drawnBy").startsWith("officer-anna"), first.getString("drawnBy"));

        // more movements arrive in the period; at the recorded position the same seed draws the same movements
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.out(site, "O31", "2025-01-29", "9"), ProjectionFlowTest.out(site, "O32", "2025-01-30", "9"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/audit/verify", site)
                .then().body("events", equalTo(35)));
        JsonPath again = draw(site, "{\"periodId\": \"2025-01\", \"size\": 6, \"seed\": 424242, \"weighted\": true, \"asOfSeq\": 33}");
        assertEquals(first.getList("items"), again.getList("items"));
        assertEquals(33, draw(site, "{\"periodId\": \"2025-01\", \"size\": 6, \"seed\": 424242}").getInt("candidates"));
        JsonPath random = draw(site, "{\"periodId\": \"2025-01\", \"size\": 3}");
        assertTrue(random.getLong("seed") >= 0, "a seed drawn at random is recorded");

        // recorded: listed, served as drawn, as CSV to check against paper
        String id = first.getString("sampleId");
        given().get("/api/v1/sites/{s}/samples", site).then().statusCode(200).body("$", hasSize(4));
        assertEquals(first.getList("items"), given().get("/api/v1/sites/{s}/samples/{id}", site, id).then().statusCode(200)
                .extract().jsonPath().getList("items"));
        String csv = given().get("/api/v1/sites/{s}/samples/{id}?format=csv", site, id).then().statusCode(200)
                .header("Content-Disposition", containsString("attachment")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals(8, lines.length, csv);
        assertTrue(lines[0].contains("seed 424242") && lines[0].contains("asOfSeq 33"), lines[0]);
        assertTrue(lines[2].startsWith("1," + first.getString("items[0].deliveryId") + ","), csv);

        // kept as drawn: the service's own database role may add samples, not change or remove them
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String change : List.of("UPDATE audit_sample SET body = '{}' WHERE sample_id = '" + id + "'",
                    "DELETE FROM audit_sample WHERE sample_id = '" + id + "'")) {
                java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> s.executeUpdate(change));
                assertEquals("42501", refused.getSQLState(), refused.getMessage());
            }
        }

        // bounded and validated at the gate; only readers of the site draw
        for (String bad : List.of("{\"periodId\": \"2025-01\", \"size\": 0}", "{\"periodId\": \"2025-01\", \"size\": 1001}",
                "{\"periodId\": \"2025-01\", \"size\": 5, \"seed\": -1}", "{\"periodId\": \"2025-01\", \"size\": 5, \"seed\": 9007199254740992}",
                "{\"periodId\": \"January\", \"size\": 5}", "{\"size\": 5}", "{\"periodId\": \"2025-01\", \"size\": 5, \"asOfSeq\": -3}")) {
            given().contentType("application/json").body(bad).post("/api/v1/sites/{s}/samples", site).then().statusCode(400);
        }
        given().contentType("application/json").body("{\"periodId\": \"2031-01\", \"size\": 5}").post("/api/v1/sites/{s}/samples", site)
                .then().statusCode(404);
        Tokens.Principal stranger = new Tokens.Principal("eve", null, "cli", Set.of("auditor"), List.of("other-org"));
        Tokens.Principal erp = new Tokens.Principal("svc", ProjectionFlowTest.ORG, "test-erp", Set.of("erp"), List.of());
        for (Tokens.Principal who : List.of(stranger, erp)) {
            WorkspaceTest.bearer(who).contentType("application/json").body("{\"periodId\": \"2025-01\", \"size\": 5}")
                    .post("/api/v1/sites/{s}/samples", site).then().statusCode(403);
            WorkspaceTest.bearer(who).get("/api/v1/sites/{s}/samples/{id}", site, id).then().statusCode(403);
        }

        // from the workspace: an auditor's form (with the session's form token) draws and shows the sample
        String auditor = Tokens.test(WorkspaceTest.AUDITOR);
        String period = WorkspaceTest.browser(auditor).get("/app/sites/{s}/periods/2025-01?lang=en", site).then().statusCode(200)
                .body(containsString("Draw an audit sample")).extract().asString();
        String location = WorkspaceTest.browser(auditor).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", WorkspaceTest.formToken(period)).formParam("size", "5").formParam("seed", "424242")
                .formParam("weighted", "true").post("/app/actions/sites/{s}/periods/2025-01/samples", site).then().statusCode(303)
                .extract().header("Location");
        String page = WorkspaceTest.browser(auditor).get(location + "?lang=en").then().statusCode(200).body(containsString("424242"))
                .body(containsString("?format=csv")).extract().asString();
        assertTrue(page.contains("greta.auditor"), "who drew it");
        WorkspaceTest.browser(auditor).contentType("application/x-www-form-urlencoded").formParam("size", "5")
                .post("/app/actions/sites/{s}/periods/2025-01/samples", site).then().statusCode(403);
        WorkspaceTest.browser(auditor).contentType("application/x-www-form-urlencoded").formParam("csrf", WorkspaceTest.formToken(period))
                .formParam("size", "5").formParam("seed", "12x").post("/app/actions/sites/{s}/periods/2025-01/samples", site)
                .then().statusCode(400);
    }

    static JsonPath draw(String site, String body) {
        return given().contentType("application/json").body(body).post("/api/v1/sites/{s}/samples", site).then().statusCode(201)
                .header("Location", containsString("/api/v1/sites/" + site + "/samples/")).extract().jsonPath();
    }
}
