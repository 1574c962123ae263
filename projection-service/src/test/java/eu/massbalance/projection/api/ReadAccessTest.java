package eu.massbalance.projection.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.projection.LedgerFeed;
import eu.massbalance.testinfra.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every read endpoint × every role × own or other organisation: compliance officers read their own
 * organisation's books, auditors the organisations granted to them, the admin only the service's
 * operations; everyone else gets 401 or 403 as problem+json naming what is missing.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class ReadAccessTest {


    private static final String ORG_A = "read-a-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String ORG_B = "read-b-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, Tokens.Principal> WHO = new LinkedHashMap<>();

    static {
        WHO.put("anonymous", null);
        WHO.put("officer-a", new Tokens.Principal("officer-a", ORG_A, null, Set.of("compliance-officer"), List.of()));
        WHO.put("officer-b", new Tokens.Principal("officer-b", ORG_B, null, Set.of("compliance-officer"), List.of()));
        WHO.put("auditor-a", new Tokens.Principal("auditor-a", null, null, Set.of("auditor"), List.of(ORG_A)));
        WHO.put("auditor-b", new Tokens.Principal("auditor-b", null, null, Set.of("auditor"), List.of(ORG_B)));
        WHO.put("erp-a", new Tokens.Principal("svc-erp", ORG_A, "erp-a", Set.of("erp"), List.of()));
        WHO.put("admin", new Tokens.Principal("admin-1", null, null, Set.of("admin"), List.of()));
    }

    private static RequestSpecification as(String who) {
        RestAssured.requestSpecification = null;
        Tokens.Principal p = WHO.get(who);
        return p == null ? given() : given().header("Authorization", "Bearer " + Tokens.test(p));
    }

    @Test
    void each_read_answers_only_the_callers_of_the_sites_organisation() {
        String site = "read-" + UUID.randomUUID();
        try (LedgerFeed feed = new LedgerFeed()) {
            feed.send(ProjectionFlowTest.site(site).withOrganisation(ORG_A), ProjectionFlowTest.certificate(site),
                    ProjectionFlowTest.in(site, "I1", "2025-01-03", "10", "A"), ProjectionFlowTest.out(site, "O1", "2025-01-20", "25"),
                    new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as("officer-a")
                .get("/api/v1/deviations?siteId={s}", site).then().statusCode(200).body("items", hasSize(1)));

        Set<String> readers = Set.of("officer-a", "auditor-a");
        Map<String, Set<String>> endpoints = new LinkedHashMap<>();
        for (String path : List.of("/api/v1/sites/" + site + "/periods", "/api/v1/sites/" + site + "/periods/2025-01/balance",
                "/api/v1/sites/" + site + "/stock", "/api/v1/sites/" + site + "/movements",
                "/api/v1/sites/" + site + "/batches/A/trace", "/api/v1/sites/" + site + "/audit/verify",
                "/api/v1/sites/" + site + "/deliveries/I1", "/api/v1/sites/" + site + "/refusals",
                "/api/v1/sites/" + site + "/commands/" + as("officer-a").get("/api/v1/sites/{s}/deliveries/I1", site)
                        .jsonPath().getString("events[0].eventId"))) {
            endpoints.put(path, readers);
        }
        endpoints.put("/api/v1/deviations?siteId=" + site, Set.of("officer-a", "officer-b", "auditor-a", "auditor-b"));
        endpoints.put("/api/v1/webhooks/deliveries", Set.of("admin"));
        endpoints.put("/api/v1/organisations/" + ORG_A + "/reports/2025", readers);
        endpoints.put("/api/v1/organisations/" + ORG_A + "/reports/2025?format=xlsx", readers);

        List<String> wrong = new ArrayList<>();
        endpoints.forEach((path, allowed) -> WHO.keySet().forEach(who -> {
            Response response = as(who).get(path);
            int expected = allowed.contains(who) ? 200 : WHO.get(who) == null ? 401 : 403;
            boolean problem = expected == 200 || String.valueOf(response.contentType()).startsWith("application/problem+json")
                    && response.jsonPath().getString("code") != null;
            if (response.statusCode() != expected || !problem) {
                wrong.add(path + " as " + who + ": expected " + expected + ", got " + response.statusCode() + " " + response.body().asString());
            }
        }));
        assertEquals(List.of(), wrong);
        // another organisation's officer or auditor may list deviations, but sees none of this site's
        for (String who : List.of("officer-b", "auditor-b")) {
            as(who).get("/api/v1/deviations?siteId={s}", site).then().statusCode(200).body("items", hasSize(0));
        }
        as("auditor-a").get("/api/v1/deviations?siteId={s}", site).then().body("items[0].siteId", equalTo(site));
    }
}
