package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.massbalance.contracts.Topics;
import eu.massbalance.stack.KeycloakProcess;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.Ports;
import eu.massbalance.testinfra.Postgres;
import eu.massbalance.testinfra.ServiceProcess;
import eu.massbalance.testinfra.TestKafka;
import eu.massbalance.testinfra.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Signing in through a real OpenID Connect provider: the local stack's Keycloak with the demo
 * realm of {@code deploy/keycloak/}. ledger-service verifies its tokens against the provider's
 * published keys (JWKS) and issuer, as it would a company's own provider; the roles, organisation
 * and client come from the realm's claims, and the actor on the log is the token's subject.
 */
class IdentityProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tokens_from_keycloak_are_verified_by_its_published_keys_and_the_actor_on_the_log_is_the_tokens_subject() throws Exception {
        Path javaHome = KeycloakProcess.javaHome().orElseThrow(() -> new AssertionError(
                "Keycloak needs a JDK 21+ (KEYCLOAK_JAVA_HOME or /usr/lib/jvm)"));
        Path logs = Files.createDirectories(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/service-logs"));
        String kafka = TestKafka.bootstrapServers(Topics.ALL, 3);
        TestKafka.organisation("demo-org", 3);
        try (KeycloakProcess keycloak = KeycloakProcess.start(SystemUnderTest.REPOSITORY,
                SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target/keycloak"), Ports.free(), javaHome,
                logs.resolve("keycloak.log"));
             ServiceProcess ledger = ledgerWith(keycloak, kafka, "ledger_keycloak", logs.resolve("ledger-service-keycloak.log"))) {
            ledger.awaitReady(Duration.ofMinutes(2));
            String admin = keycloak.userToken("ivar.admin");
            String officer = keycloak.userToken("anna.compliance");
            String erp = keycloak.clientToken("demo-erp");
            String site = "kc-depot";

            HttpResponse<String> organisation = send(ledger, "PUT", "/api/v1/organisations/demo-org", admin, "{\"name\": \"Demo\"}");
            assertTrue(Set.of(200, 201).contains(organisation.statusCode()), organisation.body());
            HttpResponse<String> registered = send(ledger, "PUT", "/api/v1/sites/" + site, officer, "{\"name\": \"Depot\", \"periodMonths\": 1,"
                    + " \"firstPeriod\": \"2025-01\", \"products\": [{\"product\": \"HVO\", \"unit\": \"m3\"}]}");
            assertEquals(201, registered.statusCode(), registered.body());
            HttpResponse<String> granted = send(ledger, "PUT", "/api/v1/organisations/demo-org/erp-clients/demo-erp/sites/" + site,
                    admin, null);
            assertEquals(200, granted.statusCode(), granted.body());
            HttpResponse<String> posted = send(ledger, "POST", "/api/v1/sites/" + site + "/deliveries", erp,
                    "{\"deliveryId\": \"KC-1\", \"direction\": \"OUTBOUND\", \"occurredAt\": \"2025-01-15T07:40:00+01:00\","
                            + " \"product\": \"HVO\", \"quantity\": {\"amount\": \"2\", \"unit\": \"m3\"}, \"sustainable\": [],"
                            + " \"customerId\": \"c-1\", \"useArea\": \"TRANSPORT\", \"taxLiability\": true}");
            assertEquals(202, posted.statusCode(), posted.body());

            // the roles are the realm's: an ERP client may not configure sites, an officer may not post deliveries
            assertEquals(403, send(ledger, "PUT", "/api/v1/sites/other-" + site, erp, "{}").statusCode());
            assertEquals(403, send(ledger, "POST", "/api/v1/sites/" + site + "/deliveries", officer, "{}").statusCode());
            // a token with the provider's issuer but signed by another key is refused
            Path keys = Files.createTempDirectory(logs, "forger-");
            Tokens.newKeyPair(keys.resolve("public.pem"), keys.resolve("private.pem"));
            String forged = Tokens.sign(new Tokens.Principal("intruder", "demo-org", "demo-erp", Set.of("erp", "admin"), List.of()),
                    keycloak.issuer(), Tokens.readPrivateKey(keys.resolve("private.pem")));
            assertEquals(401, send(ledger, "POST", "/api/v1/sites/" + site + "/deliveries", forged, "{}").statusCode());

            String subject = claims(erp).path("sub").asText();
            assertTrue(!subject.isBlank(), "the provider's token names its subject");
            List<JsonNode> deliveries = eu.massbalance.system.Topics.read(Topics.LEDGER, r -> site.equals(r.key()), 2,
                    Duration.ofSeconds(30)).stream().map(r -> read(r.value())).filter(e -> e.has("deliveryId")).toList();
            assertEquals(1, deliveries.size());
            assertEquals(subject + " via demo-erp", deliveries.get(0).path("recordedBy").asText(),
                    "the actor on the log is the token's subject and client");
        }
    }

    /** ledger-service verifying the provider's tokens, signed in to the broker and its own database as in production. */
    static ServiceProcess ledgerWith(KeycloakProcess keycloak, String kafka, String database, Path log) {
        return ServiceProcess.start("ledger-service", SystemUnderTest.REPOSITORY.resolve("ledger-service"), Ports.free(), Map.ofEntries(
                Map.entry("MASSBALANCE_OIDC_KEYS", keycloak.jwks()),
                Map.entry("MASSBALANCE_OIDC_ISSUER", keycloak.issuer()),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka),
                Map.entry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"),
                Map.entry("KAFKA_USERNAME", KafkaAccess.LEDGER_SERVICE),
                Map.entry("KAFKA_PASSWORD", TestKafka.password(KafkaAccess.LEDGER_SERVICE)),
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", Postgres.shared().databaseWithRoles(database, "ledger_owner",
                        Postgres.testPassword("ledger_owner"), "ledger_app", Postgres.testPassword("ledger_app"))),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "ledger_app"),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", Postgres.testPassword("ledger_app")),
                Map.entry("QUARKUS_FLYWAY_USERNAME", "ledger_owner"),
                Map.entry("QUARKUS_FLYWAY_PASSWORD", Postgres.testPassword("ledger_owner"))), log);
    }

    static JsonNode claims(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    HttpResponse<String> send(ServiceProcess service, String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
