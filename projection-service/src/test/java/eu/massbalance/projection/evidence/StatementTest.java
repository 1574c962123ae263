package eu.massbalance.projection.evidence;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.projection.api.ProjectionFlowTest;
import eu.massbalance.testinfra.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Given a closed period, then its statement is a JWS that the published key verifies, whose
 * payload holds exactly the period's results and the chain head and ledger position of its close;
 * a changed byte fails the check.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class StatementTest {

    @BeforeAll
    static void operatorKey() throws Exception {
        Path key = Path.of("target/statement-key.pem");
        if (!Files.exists(key)) {
            Tokens.newKeyPair(Path.of("target/statement-key.pub.pem"), key);
        }
    }

    @BeforeEach
    void signIn() {
        ProjectionFlowTest.authenticate();
    }

    static io.restassured.specification.RequestSpecification anonymous() {
        return given().config(io.restassured.RestAssured.config().headerConfig(io.restassured.config.HeaderConfig.headerConfig()
                .overwriteHeadersWithName("Authorization"))).header("Authorization", "");
    }

    @Test
    void a_closed_periods_statement_is_signed_by_the_published_key_and_holds_its_results_chain_head_and_position()
            throws Exception {
        String site = "statement-" + UUID.randomUUID().toString().substring(0, 8);
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), ProjectionFlowTest.out(site, "O1", "2025-01-05", "4"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/audit/verify", site)
                .then().body("events", equalTo(4)));
        given().get("/api/v1/sites/{s}/periods/2025-01/statement", site).then().statusCode(409).body("code", equalTo("PERIOD_OPEN"));
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/sites/{s}/periods/2025-01/balance", site)
                .then().body("status", equalTo("CLOSED")));

        String jws = given().get("/api/v1/sites/{s}/periods/2025-01/statement", site).then().statusCode(200)
                .contentType("application/jose").extract().asString();
        // the key from its public address, fetched without signing in
        String keys = anonymous().get("/.well-known/massbalance/statement-keys.json").then().statusCode(200)
                .extract().asString();
        RSAKey key = JWKSet.parse(keys).getKeys().get(0).toRSAKey();
        assertFalse(key.isPrivate(), "only the public half is published");
        JWSObject statement = JWSObject.parse(jws);
        assertEquals(key.getKeyID(), statement.getHeader().getKeyID());
        assertTrue(statement.verify(new RSASSAVerifier(key)), "the published key verifies the statement");

        JsonNode payload = LedgerJson.read(statement.getPayload().toString(), JsonNode.class);
        JsonNode balance = LedgerJson.read(given().get("/api/v1/sites/{s}/periods/2025-01/balance", site).then().extract().asString(),
                JsonNode.class);
        assertEquals(balance, payload.path("result"), "the period's results, exactly");
        JsonNode verified = LedgerJson.read(given().get("/api/v1/sites/{s}/audit/verify", site).then().extract().asString(), JsonNode.class);
        assertEquals(5, payload.path("closedAtSeq").asLong());
        assertEquals(verified.path("head").asText(), payload.path("chainHead").asText(), "the close is the last event: its hash is the head");
        assertEquals("massbalance.ledger.v1", payload.path("ledgerTopic").asText());
        assertTrue(payload.path("ledgerOffset").asLong() >= 0);

        // one changed figure, and the signature no longer holds
        String[] parts = jws.split("\\.");
        String altered = statement.getPayload().toString().replace("\"out\":\"4\"", "\"out\":\"3\"");
        assertTrue(!altered.equals(statement.getPayload().toString()), "the payload holds out = 4");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(altered.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        assertFalse(JWSObject.parse(forged).verify(new RSASSAVerifier(key)));

        // the journal as a file: the chain recomputed from its payloads gives every hash; its statement names one of them
        String export = given().get("/api/v1/sites/{s}/journal/export", site).then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString(site + "-journal.ndjson")).extract().asString();
        String[] lines = export.split("\n");
        assertEquals("massbalance.JournalExport.v1", LedgerJson.read(lines[0], JsonNode.class).path("type").asText());
        eu.massbalance.projection.engine.HashChain chain = new eu.massbalance.projection.engine.HashChain();
        java.util.Map<Long, String> hashes = new java.util.HashMap<>();
        int statements = 0;
        for (int i = 1; i < lines.length; i++) {
            JsonNode line = LedgerJson.read(lines[i], JsonNode.class);
            if (line.path("kind").asText().equals("event")) {
                String hash = eu.massbalance.projection.engine.HashChain.hex(
                        chain.append(line.path("payload").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                assertEquals(line.path("hash").asText(), hash, "seq " + line.path("seq"));
                hashes.put(line.path("seq").asLong(), hash);
            } else {
                JWSObject exported = JWSObject.parse(line.path("jws").asText());
                assertTrue(exported.verify(new RSASSAVerifier(key)));
                JsonNode said = LedgerJson.read(exported.getPayload().toString(), JsonNode.class);
                assertEquals(hashes.get(said.path("closedAtSeq").asLong()), said.path("chainHead").asText());
                statements++;
            }
        }
        assertEquals(5, hashes.size(), "every event once");
        assertEquals(1, statements, "one closed period, one statement");
        assertEquals(verified.path("head").asText(), eu.massbalance.projection.engine.HashChain.hex(chain.head()));
        anonymous().get("/api/v1/sites/{s}/journal/export", site).then().statusCode(401);

        given().get("/api/v1/sites/{s}/periods/2025-02/statement", site).then().statusCode(409);
        given().get("/api/v1/sites/{s}/periods/2024-12/statement", site).then().statusCode(404).body("code", equalTo("PERIOD_UNKNOWN"));
        anonymous().get("/api/v1/sites/{s}/periods/2025-01/statement", site).then().statusCode(401);

        // made once and kept: the same bytes on every download and in the export, and never changed by the service
        assertEquals(jws, given().get("/api/v1/sites/{s}/periods/2025-01/statement", site).then().statusCode(200).extract().asString());
        assertTrue(export.contains(jws), "the export carries the statement made at the close");
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.executeUpdate("UPDATE period_statement SET jws = 'x' WHERE site_id = '" + site + "'"));
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
        }
    }

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void each_close_yields_its_statement_without_anyone_asking_for_it() {
        String site = "issued-" + UUID.randomUUID().toString().substring(0, 8);
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"),
                    ProjectionFlowTest.in(site, "I2", "2025-02-03", "10", "B"), new PeriodCloseRequested(site, YearMonth.of(2025, 2), "officer"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                    "SELECT period_id FROM period_statement WHERE site_id = ? ORDER BY period_id")) {
                s.setString(1, site);
                java.util.List<String> periods = new java.util.ArrayList<>();
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        periods.add(rs.getString(1));
                    }
                }
                assertEquals(java.util.List.of("2025-01", "2025-02"), periods);
            }
        });
    }
}
