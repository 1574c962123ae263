package eu.massbalance.ledger;

import static io.restassured.RestAssured.given;

import eu.massbalance.contracts.access.Principal;
import eu.massbalance.testinfra.Tokens;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Set;

/** One-line requests and bodies for the ledger-service tests. */
public final class Requests {

    /** The organisation the tests work in, and the client the test ERP posts as. */
    public static final String ORG = "test-org";
    public static final String ERP_CLIENT = "test-erp";

    /** One caller with every role in {@link #ORG}, so that tests of behaviour need no token of their own. */
    public static final Tokens.Principal EVERY_ROLE = new Tokens.Principal("officer-anna", ORG, ERP_CLIENT,
            Set.of(Principal.ERP, Principal.COMPLIANCE_OFFICER, Principal.AUDITOR, Principal.ADMIN), List.of(ORG));

    private static boolean organisationRegistered;

    private Requests() {
    }

    /** Every request of the test carries the token of {@link #EVERY_ROLE}; {@link #ORG} is registered once. */
    public static synchronized void authenticate() {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + Tokens.test(EVERY_ROLE)).build();
        if (!organisationRegistered) {
            given().contentType("application/json").body("{\"name\": \"Test organisation\"}")
                    .put("/api/v1/organisations/{org}", ORG).then().statusCode(org.hamcrest.Matchers.anyOf(
                            org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
            organisationRegistered = true;
        }
    }

    public static String bearer(Tokens.Principal principal) {
        return "Bearer " + Tokens.test(principal);
    }

    public static String site(int months, String first, Integer autoCloseAfterDays) {
        return """
                {"name": "Test depot", "operator": "556677-8899", "timeZone": "Europe/Stockholm",
                 "periodMonths": %d, "firstPeriod": "%s", "periodReason": null,
                 "products": [{"product": "HVO", "unit": "m3"}, {"product": "FAME", "unit": "m3"}],
                 "blendGroups": [], "overdraft": "ALLOW_WITHIN_PERIOD", "allocation": "FIFO",
                 "autoCloseAfterDays": %s}""".formatted(months, first, autoCloseAfterDays);
    }

    /** Registers the site in {@link #ORG} and, if it was registered, grants it to the test ERP client. */
    public static ValidatableResponse putSite(String siteId, String body) {
        Response response = given().contentType("application/json").body(body).when().put("/api/v1/sites/{site}", siteId);
        if (response.statusCode() / 100 == 2) {
            given().put("/api/v1/organisations/{org}/erp-clients/{client}/sites/{site}", ORG, ERP_CLIENT, siteId)
                    .then().statusCode(200);
        }
        return response.then();
    }

    public static ValidatableResponse postDelivery(String siteId, String body) {
        return given().contentType("application/json").body(body).when().post("/api/v1/sites/{site}/deliveries", siteId).then();
    }

    public static String characteristics(String country) {
        return """
                {"profile": "red-biofuel-v1", "fuelCategory": "HVO", "rawMaterial": "Used cooking oil",
                 "countryOfOrigin": "%s", "rawMaterialGroup": "OTHER", "annexIX": "B",
                 "residueOrWaste": true, "celluloseType": "NONE",
                 "lowerHeatingValue": {"amount": "34.4", "unit": "MJ/l"},
                 "ghgEmissions": {"amount": "14.2", "unit": "gCO2e/MJ"}, "ghgMethod": "ACTUAL",
                 "productionPathway": null, "credits": [], "voluntaryScheme": "ISCC EU",
                 "installationStart": "2012-05-01", "certificateId": "EU-ISCC-Cert-XX000-00000",
                 "proofOfSustainability": "PoS-2025-000123"}""".formatted(country);
    }

    public static String inbound(String deliveryId, String amount, String country) {
        return """
                {"deliveryId": "%s", "direction": "INBOUND", "occurredAt": "2025-03-04T10:15:00+01:00",
                 "product": "HVO", "quantity": {"amount": "%s", "unit": "m3"},
                 "supplierId": "supplier-rotterdam", "transportDocument": "CMR-889911",
                 "sustainable": [{"batchId": "B-%s", "amount": "%s", "characteristics": %s}]}"""
                .formatted(deliveryId, amount, deliveryId, amount, characteristics(country));
    }

    public static String outbound(String deliveryId, String amount) {
        return """
                {"deliveryId": "%s", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00",
                 "product": "HVO", "quantity": {"amount": "%s", "unit": "m3"}, "customerId": "haulier-12",
                 "useArea": "TRANSPORT", "taxLiability": true, "sustainable": [{"amount": "%s"}]}"""
                .formatted(deliveryId, amount, amount);
    }
}
