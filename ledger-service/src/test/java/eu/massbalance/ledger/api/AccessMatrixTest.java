package eu.massbalance.ledger.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.ledger.Requests;
import eu.massbalance.testinfra.Tokens;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of ledger-service × every role × own or other organisation: the allowed calls
 * work, every other one answers 401 or 403 as problem+json naming what is missing, and nothing
 * of a refused call reaches the site's log.
 */
@QuarkusTest
class AccessMatrixTest {


    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ORG_A = "org-a-" + RUN;
    private static final String ORG_B = "org-b-" + RUN;
    private static final String SITE = "site-a-" + RUN;
    /** A site without deliveries, which may still declare its opening stock. */
    private static final String FRESH = "site-a-fresh-" + RUN;

    /** The callers, by name; {@code null} sends no token at all. */
    private static final Map<String, Tokens.Principal> WHO = new LinkedHashMap<>();

    static {
        WHO.put("anonymous", null);
        WHO.put("officer-a", principal("officer-a", ORG_A, null, List.of(), Principal.COMPLIANCE_OFFICER));
        WHO.put("officer-b", principal("officer-b", ORG_B, null, List.of(), Principal.COMPLIANCE_OFFICER));
        WHO.put("erp-a", principal("svc-erp-a", ORG_A, "erp-a", List.of(), Principal.ERP));
        WHO.put("erp-a-ungranted", principal("svc-erp-a2", ORG_A, "erp-a2", List.of(), Principal.ERP));
        WHO.put("erp-b", principal("svc-erp-b", ORG_B, "erp-b", List.of(), Principal.ERP));
        WHO.put("auditor-a", principal("auditor-a", null, null, List.of(ORG_A), Principal.AUDITOR));
        WHO.put("auditor-b", principal("auditor-b", null, null, List.of(ORG_B), Principal.AUDITOR));
        WHO.put("admin", principal("admin-1", null, null, List.of(), Principal.ADMIN));
    }

    private static Tokens.Principal principal(String subject, String org, String client, List<String> orgs, String role) {
        return new Tokens.Principal(subject, org, client, Set.of(role), orgs);
    }

    /** {@code call} gets the request and the tag to leave in what it sends. */
    private record Endpoint(String name, Set<String> allowed, BiFunction<RequestSpecification, String, Response> call) {
    }

    private static String site() {
        return Requests.site(1, "2025-01", null);
    }

    private static String outbound(String id) {
        return Requests.outbound(id, "1");
    }

    private static List<Endpoint> endpoints() {
        List<Endpoint> list = new ArrayList<>();
        list.add(new Endpoint("PUT site", Set.of("officer-a"),
                (r, tag) -> r.contentType("application/json").body(site()).put("/api/v1/sites/{s}", SITE)));
        list.add(new Endpoint("GET site", Set.of("officer-a", "auditor-a", "erp-a"), (r, tag) -> r.get("/api/v1/sites/{s}", SITE)));
        list.add(new Endpoint("PUT certificate", Set.of("officer-a", "officer-b"),
                (r, tag) -> r.contentType("application/json").body("{\"scheme\": \"ISCC EU\", \"validFrom\": \"2025-01-01\"}")
                        .put("/api/v1/suppliers/{w}/certificates/C-1", tag)));
        // revokes the certificate the same caller registered in the row above
        list.add(new Endpoint("POST revocation", Set.of("officer-a", "officer-b"),
                (r, tag) -> r.contentType("application/json").body("{\"effectiveFrom\": \"2025-06-01\", \"reason\": \"" + tag + "\"}")
                        .post("/api/v1/suppliers/{w}/certificates/C-1/revocation", tag.replaceFirst("^t3-", "t2-"))));
        list.add(new Endpoint("POST delivery", Set.of("erp-a"), (r, tag) -> r.contentType("application/json")
                .body(outbound(tag)).post("/api/v1/sites/{s}/deliveries", SITE)));
        list.add(new Endpoint("POST deliveries:batch", Set.of("erp-a"), (r, tag) -> r.urlEncodingEnabled(false)
                .contentType("application/json").body("{\"deliveries\": [" + outbound(tag) + "]}")
                .post("/api/v1/sites/" + SITE + "/deliveries:batch")));
        list.add(new Endpoint("POST deliveries:csv", Set.of("erp-a"), (r, tag) -> r.urlEncodingEnabled(false)
                .contentType("text/csv").body("deliveryId,direction,occurredAt,product,quantity,unit,customerId,useArea,taxLiability,"
                        + "sustainableAmount\r\n" + tag + ",OUTBOUND,2025-03-05T07:40:00+01:00,HVO,1,m3,haulier-12,TRANSPORT,true,1\r\n")
                .post("/api/v1/sites/" + SITE + "/deliveries:csv")));
        list.add(new Endpoint("PUT opening stock", Set.of("officer-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"batches\": [{\"batchId\": \"OPEN-" + tag + "\", \"amount\": \"5\", \"characteristics\": "
                        + Requests.characteristics("SE") + "}]}")
                .put("/api/v1/sites/{s}/opening-stock/HVO", FRESH)));
        list.add(new Endpoint("POST stock count", Set.of("officer-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"product\": \"HVO\", \"counted\": {\"amount\": \"10\", \"unit\": \"m3\"},"
                        + " \"countedAt\": \"2025-01-20T18:00:00+01:00\", \"method\": \"DIP\", \"note\": \"" + tag + "\"}")
                .post("/api/v1/sites/{s}/stock-counts", SITE)));
        list.add(new Endpoint("POST reversal", Set.of("erp-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"reason\": \"" + tag + "\"}").post("/api/v1/sites/{s}/deliveries/SETUP-1/reversal", SITE)));
        list.add(new Endpoint("POST processing run", Set.of("erp-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"runId\": \"" + tag + "\", \"occurredAt\": \"2025-01-12T06:00:00+01:00\", \"inputProduct\": \"HVO\","
                        + " \"inputQuantity\": {\"amount\": \"1\", \"unit\": \"m3\"}, \"outputs\": [{\"product\": \"FAME\","
                        + " \"quantity\": {\"amount\": \"1\", \"unit\": \"m3\"}, \"factor\": \"1\"}]}")
                .post("/api/v1/sites/{s}/processing-runs", SITE)));
        list.add(new Endpoint("POST transfer receipt", Set.of("erp-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"occurredAt\": \"2025-01-12T06:00:00+01:00\", \"received\": {\"amount\": \"1\", \"unit\": \"m3\"},"
                        + " \"transportDocument\": \"" + tag + "\"}")
                .post("/api/v1/sites/{s}/transfers/{t}/receipt", SITE, FRESH + ":T-SETUP")));
        list.add(new Endpoint("POST period close", Set.of("officer-a"), (r, tag) -> r.post("/api/v1/sites/{s}/periods/2025-01/close", SITE)));
        list.add(new Endpoint("POST batch merge", Set.of("officer-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"product\": \"HVO\", \"sourceBatchIds\": [\"A\", \"B\"], \"targetBatchId\": \"" + tag
                        + "\", \"reason\": \"one tank\"}").post("/api/v1/sites/{s}/batch-merges", SITE)));
        list.add(new Endpoint("POST reclassification", Set.of("officer-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"newClass\": \"MINOR\", \"reason\": \"denied\"}")
                .post("/api/v1/sites/{s}/deviations/{w}/reclassification", SITE, tag)));
        list.add(new Endpoint("POST action plan", Set.of("officer-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"actionPlan\": \"denied\"}").post("/api/v1/sites/{s}/deviations/{w}/action-plan", SITE, tag)));
        list.add(new Endpoint("POST closure", Set.of("officer-a"), (r, tag) -> r.contentType("application/json")
                .body("{\"resolution\": \"denied\"}").post("/api/v1/sites/{s}/deviations/{w}/closure", SITE, tag)));
        list.add(new Endpoint("GET organisations", Set.of("admin"), (r, tag) -> r.get("/api/v1/organisations")));
        list.add(new Endpoint("PUT organisation", Set.of("admin"), (r, tag) -> r.contentType("application/json")
                .body("{\"name\": \"Org A\"}").put("/api/v1/organisations/{o}", ORG_A)));
        list.add(new Endpoint("GET grants", Set.of("admin"), (r, tag) -> r.get("/api/v1/organisations/{o}/erp-grants", ORG_A)));
        list.add(new Endpoint("PUT grant", Set.of("admin"),
                (r, tag) -> r.put("/api/v1/organisations/{o}/erp-clients/erp-a/sites/{s}", ORG_A, SITE)));
        list.add(new Endpoint("DELETE grant", Set.of("admin"),
                (r, tag) -> r.delete("/api/v1/organisations/{o}/erp-clients/erp-temp/sites/{s}", ORG_A, SITE)));
        return list;
    }

    private static RequestSpecification as(String who) {
        RestAssured.requestSpecification = null;
        Tokens.Principal p = WHO.get(who);
        RequestSpecification request = given();
        return p == null ? request : request.header("Authorization", "Bearer " + Tokens.test(p));
    }

    @Test
    void each_endpoint_answers_only_its_roles_of_the_right_organisation_and_a_refusal_appends_nothing() {
        as("admin").contentType("application/json").body("{\"name\": \"Org A\"}").put("/api/v1/organisations/{o}", ORG_A)
                .then().statusCode(201);
        as("admin").contentType("application/json").body("{\"name\": \"Org B\"}").put("/api/v1/organisations/{o}", ORG_B)
                .then().statusCode(201);
        as("officer-a").contentType("application/json").body(site()).put("/api/v1/sites/{s}", SITE).then().statusCode(201);
        as("officer-a").contentType("application/json").body(site()).put("/api/v1/sites/{s}", FRESH).then().statusCode(201);
        as("admin").put("/api/v1/organisations/{o}/erp-clients/erp-a/sites/{s}", ORG_A, SITE).then().statusCode(200);
        as("admin").put("/api/v1/organisations/{o}/erp-clients/erp-temp/sites/{s}", ORG_A, SITE).then().statusCode(200);
        as("erp-a").contentType("application/json").body(outbound("SETUP-1")).post("/api/v1/sites/{s}/deliveries", SITE)
                .then().statusCode(202);
        // a transfer on its way to SITE, as the source's projection announces it: its receipt is the ERP's to confirm
        eu.massbalance.ledger.Topics.send(eu.massbalance.testinfra.KafkaAccess.PROJECTION_SERVICE, Topics.TRANSFERS, SITE,
                eu.massbalance.contracts.json.LedgerJson.write(new eu.massbalance.contracts.output.TransferDispatched(FRESH, "T-SETUP",
                        1, SITE, java.time.OffsetDateTime.parse("2025-01-10T08:00:00+01:00"), "HVO",
                        eu.massbalance.contracts.Quantity.of("1", eu.massbalance.contracts.Unit.M3), List.of())));
        assertEquals(1, eu.massbalance.ledger.Topics.read(Topics.LEDGER, r -> SITE.equals(r.key()) && r.value().contains("T-SETUP"), 1,
                Duration.ofSeconds(30)).size(), "the transit is on SITE's log");

        List<String> wrong = new ArrayList<>();
        List<String> refusedTags = new ArrayList<>();
        List<Endpoint> endpoints = endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint endpoint = endpoints.get(i);
            for (String who : WHO.keySet()) {
                // each call leaves its own tag in what it would append: a refused call's tag must not reach the log
                String tag = "t" + i + "-" + who;
                Response response = endpoint.call().apply(as(who), tag);
                int status = response.statusCode();
                boolean allowed = endpoint.allowed().contains(who);
                if (!allowed) {
                    refusedTags.add(tag + "\"");
                }
                String code = status >= 400 ? response.jsonPath().getString("code") : null;
                if (allowed && status / 100 != 2) {
                    wrong.add(endpoint.name() + " as " + who + ": expected success, got " + status + " " + response.body().asString());
                } else if (!allowed) {
                    int expected = WHO.get(who) == null ? 401 : 403;
                    boolean problem = String.valueOf(response.contentType()).startsWith("application/problem+json");
                    boolean named = code != null && (code.equals("AUTHENTICATION_REQUIRED") || code.equals("ROLE_MISSING")
                            || code.equals("SITE_NOT_GRANTED") || code.equals("SITE_ID_TAKEN"));
                    boolean statusOk = status == expected || code != null && code.equals("SITE_ID_TAKEN") && status == 409;
                    if (!statusOk || !problem || !named) {
                        wrong.add(endpoint.name() + " as " + who + ": expected " + expected + " problem, got " + status + " "
                                + response.contentType() + " " + response.body().asString());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);

        var log = eu.massbalance.ledger.Topics.read(Topics.LEDGER, r -> SITE.equals(r.key()) || FRESH.equals(r.key()), 1, Duration.ofSeconds(20));
        assertTrue(log.stream().noneMatch(r -> refusedTags.stream().anyMatch(tag -> r.value().contains(tag))),
                () -> "a refused call reached the log: " + log.stream().map(r -> r.value())
                        .filter(v -> refusedTags.stream().anyMatch(v::contains)).toList());
        assertTrue(log.stream().anyMatch(r -> r.value().contains("t4-erp-a\"")), "the allowed delivery reached the log");
        assertTrue(log.stream().anyMatch(r -> r.value().contains("\"requestedBy\":\"officer-a\"")), "the close, as its officer");
        assertTrue(log.stream().noneMatch(r -> r.value().contains("t2-officer-b")),
                "organisation B's certificate stays out of organisation A's sites");
    }
}
