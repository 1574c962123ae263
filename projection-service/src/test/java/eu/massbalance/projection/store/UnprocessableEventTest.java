package eu.massbalance.projection.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.projection.api.ProjectionFlowTest;
import io.agroal.api.AgroalDataSource;
import eu.massbalance.testinfra.Postgres;
import eu.massbalance.testinfra.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Events that reach the log without passing ledger-service's gate (an older version, another
 * writer, a bug) must never stop the projection: each one that cannot be booked is journaled as
 * refused with EVENT_UNPROCESSABLE and its reason, keeps its place in the site's hash chain, and
 * the partition goes on. The events are the cases once seen to stop the projection for good.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class UnprocessableEventTest {

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        ProjectionFlowTest.authenticate();
    }


    @Inject
    AgroalDataSource dataSource;

    static String inbound(String site, String id, String occurredAt, String amount) {
        return "{\"eventType\":\"InboundDelivery\",\"siteId\":\"" + site + "\",\"deliveryId\":\"" + id + "\",\"occurredAt\":\""
                + occurredAt + "\",\"product\":\"HVO\",\"quantity\":{\"amount\":\"" + amount + "\",\"unit\":\"m3\"},"
                + "\"supplierId\":\"supplier\",\"transportDocument\":\"CMR\",\"sustainable\":[]}";
    }

    @Test
    void events_beyond_the_bounds_are_set_aside_with_their_reason_and_the_deliveries_after_them_are_booked() throws Exception {
        String site = "poison-" + UUID.randomUUID();
        String yearZero = "year0-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site));
            String type = "massbalance.InboundDelivery.v1";
            feed.sendRaw(site, inbound(site, "FORTY-DIGITS", "2025-01-03T10:00:00+01:00", "1234567890123456789012345678901234567890"), type);
            feed.sendRaw(site, inbound(site, "HUGE-EXPONENT", "2025-01-03T10:00:00+01:00", "1e1000000"), type);
            feed.sendRaw(site, inbound(site, "TINY-EXPONENT", "2025-01-03T10:00:00+01:00", "1e-1000000"), type);
            feed.sendRaw(site, inbound(site, "EARLIEST-DATE", "-999999999-01-01T00:00:00+18:00", "5"), type);
            feed.sendRaw(site, LedgerJson.write(new DeviationActionPlanned(site, "\u0000", "a plan", "officer")),
                    "massbalance.DeviationActionPlanned.v1");
            feed.sendRaw(site, "{not json at all", type);
            feed.send(ProjectionFlowTest.in(site, "GOOD-IN", "2025-01-03", "10", "A"),
                    ProjectionFlowTest.out(site, "GOOD-OUT", "2025-01-04", "4"));

            String config = LedgerJson.write(ProjectionFlowTest.site(yearZero)).replace("\"2025-01\"", "\"0000-01\"");
            feed.sendRaw(yearZero, config, "massbalance.SiteConfigured.v1");
            feed.sendRaw(yearZero, inbound(yearZero, "YEAR-ZERO", "0000-01-05T10:00:00Z", "5"), type);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/api/v1/sites/{s}/periods/2025-01/balance", site).then().statusCode(200)
                        .body("products[0].in", equalTo("10")).body("products[0].out", equalTo("4")));
        List<String[]> refusals = refusals(site);
        assertEquals(List.of("FORTY-DIGITS", "HUGE-EXPONENT", "TINY-EXPONENT", "EARLIEST-DATE", "DeviationActionPlanned"),
                refusals.stream().filter(r -> "EVENT_UNPROCESSABLE".equals(r[1])).map(r -> r[0]).toList());
        assertTrue(refusals.stream().anyMatch(r -> "Unreadable".equals(r[0]) && "EVENT_INVALID".equals(r[1])), "the record that is not JSON");
        assertTrue(refusals.stream().filter(r -> "EVENT_UNPROCESSABLE".equals(r[1]))
                .allMatch(r -> r[2].startsWith("Values out of bounds: ") && r[2].chars().noneMatch(Character::isISOControl)));
        given().get("/api/v1/sites/{s}/audit/verify", site).then().statusCode(200)
                .body("intact", equalTo(true)).body("events", equalTo(10));
        given().get("/api/v1/sites/{s}/movements", site).then().statusCode(200)
                .body("items.deliveryId", equalTo(List.of("GOOD-IN", "GOOD-OUT")));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> refusals(yearZero).size() == 2);
        assertEquals("EVENT_UNPROCESSABLE", refusals(yearZero).get(0)[1], "a first period in year 0");
        given().get("/q/health/live").then().statusCode(200);
    }

    static Connection asOwner() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(Postgres.shared().jdbcUrl(PostgresTestResource.DATABASE),
                PostgresTestResource.OWNER, PostgresTestResource.password(PostgresTestResource.OWNER));
    }

    @Test
    void the_services_own_role_may_not_change_the_schema() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.execute("CREATE TABLE intruder (x int)"));
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
            refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.execute("ALTER TABLE journal DISABLE TRIGGER journal_rows_are_never_changed"));
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
            refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.execute("DELETE FROM journal"));
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
        }
    }

    @Test
    void a_record_whose_rows_the_database_refuses_is_set_aside_alone_and_the_rest_of_its_batch_is_booked() throws Exception {
        String site = "refused-" + UUID.randomUUID();
        // a refusal of the store that no check foresaw, made by the real database: a trigger raising a data exception,
        // put in by the schema's owner (the service's own role may not change the schema)
        try (Connection c = asOwner(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.delivery_id = 'STORE-REFUSES' THEN RAISE EXCEPTION 'value out of range for this test'"
                    + " USING ERRCODE = '22003'; END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON movement FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
        }
        try {
            try (LedgerFeed feed = new LedgerFeed()) {
                feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                        ProjectionFlowTest.in(site, "BEFORE", "2025-01-03", "10", "A"),
                        ProjectionFlowTest.in(site, "STORE-REFUSES", "2025-01-03", "7", "B"),
                        ProjectionFlowTest.out(site, "AFTER", "2025-01-04", "4"));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().get("/api/v1/sites/{s}/audit/verify", site).then().body("events", equalTo(5)));
            List<String[]> refusals = refusals(site);
            assertEquals(1, refusals.size());
            assertEquals("STORE-REFUSES", refusals.get(0)[0]);
            assertEquals("EVENT_UNPROCESSABLE", refusals.get(0)[1]);
            assertTrue(refusals.get(0)[2].contains("value out of range for this test"), refusals.get(0)[2]);
            // the refused inbound is not in the state either: batch B never arrived, A covers the outbound
            given().get("/api/v1/sites/{s}/periods/2025-01/balance", site).then().statusCode(200)
                    .body("products[0].in", equalTo("10")).body("products[0].out", equalTo("4"));
            given().get("/api/v1/sites/{s}/stock", site).then().statusCode(200)
                    .body("batchId", equalTo(List.of("A"))).body("onHand", equalTo(List.of("6")));
            given().get("/api/v1/sites/{s}/audit/verify", site).then().body("intact", equalTo(true));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            try (Connection c = asOwner(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_poison ON movement");
            }
        }
    }

    /** Per refused journal row: what it was (delivery id, else event type), the code and the message. */
    List<String[]> refusals(String site) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT payload, event_type, refusal_code, refusal_message FROM journal"
                     + " WHERE site_id = ? AND refusal_code IS NOT NULL ORDER BY seq")) {
            select.setString(1, site);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String payload = rs.getString(1);
                    int at = payload.indexOf("\"deliveryId\":\"");
                    String what = at < 0 ? rs.getString(2) : payload.substring(at + 14, payload.indexOf('"', at + 14));
                    rows.add(new String[] {what, rs.getString(3), rs.getString(4)});
                }
            }
        }
        return rows;
    }
}
