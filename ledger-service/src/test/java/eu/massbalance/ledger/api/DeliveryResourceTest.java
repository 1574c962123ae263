package eu.massbalance.ledger.api;

import static eu.massbalance.ledger.Requests.inbound;
import static eu.massbalance.ledger.Requests.outbound;
import static eu.massbalance.ledger.Requests.postDelivery;
import static eu.massbalance.ledger.Requests.putSite;
import static eu.massbalance.ledger.Requests.site;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.json.LedgerJson;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeliveryResourceTest {


    String site;

    @BeforeEach
    void registerSite() {
        eu.massbalance.ledger.Requests.authenticate();
        site = "depot-" + UUID.randomUUID();
        putSite(site, site(1, "2025-01", null)).statusCode(201);
    }

    List<ConsumerRecord<String, String>> ledgerRecords(String deliveryId, int atLeast) {
        return eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> site.equals(r.key()) && r.value().contains("\"deliveryId\":\"" + deliveryId + "\""), atLeast, Duration.ofSeconds(20));
    }

    @Test
    void an_accepted_delivery_is_on_the_site_log_keyed_by_site_as_a_cloud_event() {
        String eventId = postDelivery(site, inbound("ERP-4711", "38.000", "NL")).statusCode(202)
                .body("siteId", equalTo(site)).body("deliveryId", equalTo("ERP-4711")).body("status", equalTo("ACCEPTED"))
                // where its fate after the 202 is served: the read side's status resource
                .body("statusUrl", equalTo("/api/v1/sites/" + site + "/deliveries/ERP-4711"))
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/sites/" + site + "/deliveries/ERP-4711"))
                .extract().path("eventId");
        ConsumerRecord<String, String> record = ledgerRecords("ERP-4711", 1).get(0);
        assertEquals(site, record.key());
        assertEquals("massbalance.InboundDelivery.v1", eu.massbalance.ledger.Topics.header(record, "ce_type"));
        assertEquals(site, eu.massbalance.ledger.Topics.header(record, "ce_subject"));
        assertEquals(eventId, eu.massbalance.ledger.Topics.header(record, "ce_id"));
        assertEquals("1.0", eu.massbalance.ledger.Topics.header(record, "ce_specversion"));
        assertEquals("urn:massbalance:ledger-service", eu.massbalance.ledger.Topics.header(record, "ce_source"));
        assertEquals("application/json", eu.massbalance.ledger.Topics.header(record, "content-type"));
        java.time.OffsetDateTime appendedAt = java.time.OffsetDateTime.parse(eu.massbalance.ledger.Topics.header(record, "ce_time"));
        assertTrue(Duration.between(appendedAt.toInstant(), java.time.Instant.now()).abs().compareTo(Duration.ofMinutes(5)) < 0,
                "ce_time is when it was appended: " + appendedAt);
        InboundDelivery event = assertInstanceOf(InboundDelivery.class, LedgerJson.readEvent(record.value()));
        assertEquals(0, new BigDecimal("38").compareTo(event.quantity().amount()));
        assertEquals("B-ERP-4711", event.sustainable().get(0).batchId());
        assertEquals("officer-anna via test-erp", event.recordedBy(), "who posted it, from the token: subject and client");
    }

    @Test
    void the_same_delivery_again_returns_the_original_result_and_appends_nothing() {
        String first = postDelivery(site, outbound("ERP-1", "30")).statusCode(202).extract().path("eventId");
        // the same delivery, written differently ("30.000" is 30)
        String again = postDelivery(site, outbound("ERP-1", "30.000")).statusCode(202)
                .header("Idempotent-Replayed", "true").extract().path("eventId");
        assertEquals(first, again);
        postDelivery(site, outbound("ERP-2", "5")).statusCode(202);
        ledgerRecords("ERP-2", 1);
        assertEquals(1, ledgerRecords("ERP-1", 1).size());
    }

    @Test
    void a_different_payload_under_an_accepted_delivery_id_is_a_conflict() {
        postDelivery(site, outbound("ERP-1", "30")).statusCode(202);
        postDelivery(site, outbound("ERP-1", "31")).statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("DELIVERY_ID_CONFLICT"))
                .body("status", equalTo(409));
    }

    @Test
    void every_validation_problem_is_listed_by_field() {
        postDelivery(site, """
                {"direction": "INBOUND", "product": "DIESEL", "quantity": {"amount": "-3", "unit": "barrel"},
                 "occurredAt": "%s",
                 "sustainable": [{"amount": "5", "characteristics": {"profile": "red-biofuel-v1", "countryOfOrigin": "XX"}}]}"""
                .formatted(OffsetDateTime.now().plusDays(3)))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", startsWith("https://massbalance.eu/problems/"))
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", hasItem("deliveryId"))
                .body("errors.code", hasItem("DATE_IN_FUTURE"))
                .body("errors.code", hasItem("PRODUCT_NOT_AT_SITE"))
                .body("errors.code", hasItem("NOT_POSITIVE"))
                .body("errors.code", hasItem("UNIT_UNKNOWN"))
                .body("errors.field", hasItem("sustainable[0].batchId"))
                .body("errors.field", hasItem("sustainable[0].characteristics.countryOfOrigin"))
                .body("errors.field", hasItem("sustainable[0].characteristics.ghgEmissions"))
                .body("errors.field", hasItem("supplierId"));
    }

    @Test
    void a_battery_material_batch_is_validated_by_its_profile_and_carried_on_the_log_as_given() {
        String refinery = "refinery-" + UUID.randomUUID().toString().substring(0, 8);
        putSite(refinery, site(1, "2025-01", null).replace("{\"product\": \"FAME\", \"unit\": \"m3\"}",
                "{\"product\": \"NICKEL_SULPHATE\", \"unit\": \"kg\"}")).statusCode(201);
        String batch = """
                {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "2025-03-04T10:15:00+01:00",
                 "product": "NICKEL_SULPHATE", "quantity": {"amount": "1000", "unit": "kg"}, "supplierId": "refinery-harjavalta",
                 "transportDocument": "CMR-NI-1",
                 "sustainable": [{"batchId": "NI-%s", "amount": "1000", "characteristics": {"profile": "battery-material-v1",
                   "material": "NICKEL_SULPHATE", "contentNi": "0.22", "recycledSharePreConsumer": "0.10",
                   "recycledSharePostConsumer": %s, "countryOfOrigin": "FI", "recyclingFacility": "Recycler AB",
                   "dueDiligenceStatus": "VERIFIED", "carbonFootprint": {"amount": "4.8", "unit": "kgCO2e/kg"},
                   "carbonFootprintMethod": "PEF"}}]}""";
        postDelivery(refinery, batch.formatted("NI-1", "1", "\"0.20\"")).statusCode(202);
        InboundDelivery event = assertInstanceOf(InboundDelivery.class, LedgerJson.readEvent(eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> refinery.equals(r.key()) && r.value().contains("NI-1"), 1, Duration.ofSeconds(20)).get(0).value()));
        assertEquals("0.20", event.sustainable().get(0).characteristics().text("recycledSharePostConsumer").orElseThrow());
        assertEquals("battery-material-v1", event.sustainable().get(0).characteristics().profile());
        // recycled shares adding up to more than the whole are refused, naming the field
        postDelivery(refinery, batch.formatted("NI-2", "2", "\"0.95\"")).statusCode(400)
                .body("errors.field", hasItem("sustainable[0].characteristics.recycledSharePostConsumer"))
                .body("errors.code", hasItem("SUM_ABOVE_ONE"));
        postDelivery(refinery, batch.formatted("NI-3", "3", "\"0.2\"").replace("battery-material-v1", "battery-v0")).statusCode(400)
                .body("errors.code", hasItem("PROFILE_UNKNOWN"))
                .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("battery-material-v1")));
    }

    @Test
    void biogas_delivered_in_normal_cubic_metres_is_accounted_in_MWh_only_with_its_heating_value() {
        String plant = "biogas-" + UUID.randomUUID().toString().substring(0, 8);
        putSite(plant, site(1, "2025-01", null).replace("{\"product\": \"FAME\", \"unit\": \"m3\"}",
                "{\"product\": \"BIOMETHANE\", \"unit\": \"MWh\"}")).statusCode(201);
        String out = """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00", "product": "BIOMETHANE",
                 "quantity": {"amount": "5000", "unit": "Nm3"}, "sustainable": []%s}""";
        postDelivery(plant, out.formatted("G-1", "")).statusCode(400).body("errors.code", hasItem("UNIT_CONVERSION_MISSING"));
        postDelivery(plant, out.formatted("G-2", ", \"lowerHeatingValue\": {\"amount\": \"34\", \"unit\": \"MJ/l\"}")).statusCode(400)
                .body("errors.code", hasItem("UNIT_CONVERSION_MISSING"));
        postDelivery(plant, out.formatted("G-3", ", \"lowerHeatingValue\": {\"amount\": \"9.97\", \"unit\": \"kWh/Nm3\"}"))
                .statusCode(202);
        OutboundDelivery event = assertInstanceOf(OutboundDelivery.class, LedgerJson.readEvent(eu.massbalance.ledger.Topics.read(Topics.LEDGER,
                r -> plant.equals(r.key()) && r.value().contains("G-3"), 1, Duration.ofSeconds(20)).get(0).value()));
        assertEquals("Nm3", event.quantity().unit().symbol(), "the delivery as given, with the factor that converts it recorded on it");
        assertEquals(0, new BigDecimal("9.97").compareTo(event.lowerHeatingValue().amount()));
    }

    @Test
    void a_unit_that_cannot_be_converted_to_the_accounting_unit_is_refused() {
        postDelivery(site, """
                {"deliveryId": "T-1", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00",
                 "product": "HVO", "quantity": {"amount": "30", "unit": "t"}, "sustainable": []}""")
                .statusCode(400).body("errors.code", hasItem("UNIT_CONVERSION_MISSING"));
        postDelivery(site, """
                {"deliveryId": "T-2", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00",
                 "product": "HVO", "quantity": {"amount": "30", "unit": "t"}, "density": {"amount": "780", "unit": "kg/m3"},
                 "sustainable": []}""")
                .statusCode(202);
    }

    @Test
    void a_body_of_the_wrong_shape_gets_a_problem_naming_the_field() {
        postDelivery(site, """
                {"deliveryId": "X", "direction": "SIDEWAYS", "occurredAt": "2025-03-05T07:40:00+01:00"}""")
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_BODY")).body("errors[0].field", equalTo("direction"));
        postDelivery(site, "{not json").statusCode(400).body("code", equalTo("MALFORMED_BODY"));
    }

    @Test
    void an_unknown_site_is_404() {
        postDelivery("no-such-site", outbound("ERP-1", "30")).statusCode(404).body("code", equalTo("SITE_UNKNOWN"));
    }

    @Test
    void a_thousand_deliveries_in_one_call_are_accepted_each_idempotently() {
        StringBuilder body = new StringBuilder("{\"deliveries\": [");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append(outbound("B-" + i, String.valueOf(30 + i % 10)));
        }
        body.append("]}");
        long start = System.nanoTime();
        given().urlEncodingEnabled(false).contentType("application/json").body(body.toString()).when().post("/api/v1/sites/" + site + "/deliveries:batch")
                .then().statusCode(202).body("accepted", equalTo(1000)).body("rejected", equalTo(0));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Batch endpoint: 1000 deliveries accepted in %.2f s (%.0f deliveries/s)%n", seconds, 1000 / seconds);
        given().urlEncodingEnabled(false).contentType("application/json").body(body.toString()).when().post("/api/v1/sites/" + site + "/deliveries:batch")
                .then().statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(1000));
        assertEquals(1, ledgerRecords("B-999", 1).size());
        // a second thousand on a warm JVM, for the figure in the notes (not asserted: speed belongs in benchmarks)
        String warm = body.toString().replace("\"B-", "\"W-");
        start = System.nanoTime();
        given().urlEncodingEnabled(false).contentType("application/json").body(warm).when().post("/api/v1/sites/" + site + "/deliveries:batch")
                .then().statusCode(202).body("accepted", equalTo(1000));
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Batch endpoint, warm: 1000 deliveries accepted in %.2f s (%.0f deliveries/s)%n", seconds, 1000 / seconds);
    }

    @Test
    void three_batches_of_a_thousand_at_once_are_all_accepted_whole() throws Exception {
        // more records waiting for the broker at once than the messaging connector's default places (128 + 1,024)
        List<java.util.concurrent.CompletableFuture<io.restassured.response.Response>> calls = new java.util.ArrayList<>();
        io.restassured.specification.RequestSpecification auth = io.restassured.RestAssured.requestSpecification;
        for (int b = 0; b < 3; b++) {
            StringBuilder body = new StringBuilder("{\"deliveries\": [");
            for (int i = 0; i < 1000; i++) {
                body.append(i == 0 ? "" : ",").append(outbound("P" + b + "-" + i, "30"));
            }
            String json = body.append("]}").toString();
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> given().spec(auth).urlEncodingEnabled(false)
                    .contentType("application/json").body(json).when().post("/api/v1/sites/" + site + "/deliveries:batch")));
        }
        for (var call : calls) {
            io.restassured.response.Response response = call.get();
            assertEquals(202, response.statusCode(), response.asString().substring(0, Math.min(500, response.asString().length())));
            assertEquals(1000, response.jsonPath().getInt("accepted"));
        }
        assertEquals(1, ledgerRecords("P2-999", 1).size());
    }

    @Test
    void a_batch_with_bad_deliveries_accepts_the_good_ones_and_says_what_is_wrong_with_the_rest() {
        String body = "{\"deliveries\": [" + outbound("G-1", "10") + "," + outbound("G-1", "11") + ","
                + "{\"deliveryId\": \"BAD\", \"direction\": \"OUTBOUND\"}" + "]}";
        given().urlEncodingEnabled(false).contentType("application/json").body(body).when().post("/api/v1/sites/" + site + "/deliveries:batch")
                .then().statusCode(207)
                .body("results.status", containsInAnyOrder("ACCEPTED", "CONFLICT", "INVALID"))
                .body("accepted", equalTo(1)).body("rejected", equalTo(2));
    }

    @Test
    void a_delivery_twice_in_one_batch_shares_the_fate_of_its_first_copy_even_when_that_is_a_conflict() {
        postDelivery(site, outbound("T-1", "10")).statusCode(202);
        String body = "{\"deliveries\": [" + outbound("T-1", "11") + "," + outbound("T-1", "11") + "]}";
        given().urlEncodingEnabled(false).contentType("application/json").body(body).when().post("/api/v1/sites/" + site + "/deliveries:batch")
                .then().statusCode(207).body("results.status", contains("CONFLICT", "CONFLICT"));
        assertEquals(1, ledgerRecords("T-1", 1).size(), "only the first T-1 is on the log");
    }

    @Test
    void a_reversal_is_appended_once_for_an_accepted_delivery() {
        postDelivery(site, outbound("R-1", "10")).statusCode(202);
        String first = given().contentType("application/json").body("{\"reason\": \"keyed twice\"}")
                .when().post("/api/v1/sites/{site}/deliveries/R-1/reversal", site).then().statusCode(202).extract().path("eventId");
        String again = given().contentType("application/json").body("{\"reason\": \"keyed twice\"}")
                .when().post("/api/v1/sites/{site}/deliveries/R-1/reversal", site).then().statusCode(202).extract().path("eventId");
        assertEquals(first, again);
        given().contentType("application/json").body("{\"reason\": \"x\"}")
                .when().post("/api/v1/sites/{site}/deliveries/NOPE/reversal", site).then().statusCode(404)
                .body("code", equalTo("DELIVERY_UNKNOWN"));
    }
}
