package eu.massbalance.ledger.api;

import static eu.massbalance.ledger.Requests.postDelivery;
import static eu.massbalance.ledger.Requests.putSite;
import static eu.massbalance.ledger.Requests.site;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.massbalance.contracts.Topics;
import eu.massbalance.ledger.Requests;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Going live: given a site without deliveries, its opening stock is declared once per product, validated like an inbound. */
@QuarkusTest
class OpeningStockTest {

    @BeforeEach
    void authenticate() {
        Requests.authenticate();
    }

    static String stock(String batchId, String amount, String characteristics) {
        return "{\"batches\": [{\"batchId\": \"" + batchId + "\", \"amount\": \"" + amount + "\", \"characteristics\": "
                + characteristics + "}]}";
    }

    @Test
    void an_opening_stock_is_appended_once_validated_and_refused_once_deliveries_were_accepted() {
        String siteId = "open-" + UUID.randomUUID();
        putSite(siteId, site(1, "2025-01", null)).statusCode(201);
        String path = "/api/v1/sites/" + siteId + "/opening-stock/HVO";
        String eventId = given().contentType("application/json").body(stock("OLD-1", "12.5", Requests.characteristics("SE")))
                .put(path).then().statusCode(202).extract().path("eventId");
        // the same declaration again is the same event; another for the product is a conflict
        given().contentType("application/json").body(stock("OLD-1", "12.5", Requests.characteristics("SE"))).put(path)
                .then().statusCode(202).body("eventId", equalTo(eventId));
        given().contentType("application/json").body(stock("OLD-1", "99", Requests.characteristics("SE"))).put(path)
                .then().statusCode(409);
        assertEquals(1, eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> siteId.equals(r.key()) && r.value().contains("OpeningStockDeclared"), 1, Duration.ofSeconds(20)).size());

        // validated like an inbound's batches
        given().contentType("application/json").body(stock("OLD-2", "-1", "{\"profile\": \"red-biofuel-v1\"}"))
                .put("/api/v1/sites/" + siteId + "/opening-stock/FAME").then().statusCode(400)
                .body("errors.field", hasItem("batches[0].amount")).body("errors.field", hasItem("batches[0].characteristics.fuelCategory"));
        given().contentType("application/json").body(stock("OLD-3", "1", Requests.characteristics("SE")))
                .put("/api/v1/sites/" + siteId + "/opening-stock/KEROSENE").then().statusCode(400);

        // once a delivery is accepted, it is too late
        postDelivery(siteId, Requests.outbound("D-1", "1")).statusCode(202);
        given().contentType("application/json").body(stock("OLD-4", "1", Requests.characteristics("SE")))
                .put("/api/v1/sites/" + siteId + "/opening-stock/FAME").then().statusCode(409)
                .body("code", equalTo("OPENING_STOCK_TOO_LATE"));
    }

    @Test
    void a_stock_count_is_appended_once_per_product_and_moment_and_validated() {
        String siteId = "count-" + UUID.randomUUID();
        putSite(siteId, site(1, "2025-01", null)).statusCode(201);
        String count = "{\"product\": \"HVO\", \"counted\": {\"amount\": \"1204.35\", \"unit\": \"m3\"},"
                + " \"countedAt\": \"2025-01-31T18:00:00+01:00\", \"method\": \"DIP\", \"note\": \"tanks 1-3\"}";
        String eventId = given().contentType("application/json").body(count).post("/api/v1/sites/{s}/stock-counts", siteId)
                .then().statusCode(202).extract().path("eventId");
        given().contentType("application/json").body(count).post("/api/v1/sites/{s}/stock-counts", siteId)
                .then().statusCode(202).body("eventId", equalTo(eventId));
        given().contentType("application/json").body(count.replace("1204.35", "1300")).post("/api/v1/sites/{s}/stock-counts", siteId)
                .then().statusCode(409);
        given().contentType("application/json").body(count.replace("1204.35", "-1")).post("/api/v1/sites/{s}/stock-counts", siteId)
                .then().statusCode(400).body("errors.field", hasItem("counted.amount"));
        given().contentType("application/json").body(count.replace("HVO", "KEROSENE")).post("/api/v1/sites/{s}/stock-counts", siteId)
                .then().statusCode(400).body("errors.field", hasItem("product"));
        given().contentType("application/json").body(count.replace("2025-01-31", "2099-01-31")).post("/api/v1/sites/{s}/stock-counts", siteId)
                .then().statusCode(400).body("errors.code", hasItem("DATE_IN_FUTURE"));
        assertEquals(1, eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> siteId.equals(r.key()) && r.value().contains("StockCounted"), 1, Duration.ofSeconds(20)).size());
    }
}
