package eu.massbalance.ledger;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;

/** One-line requests and bodies for the ledger-service tests. */
public final class Requests {

    private Requests() {
    }

    public static String site(int months, String first, Integer autoCloseAfterDays) {
        return """
                {"name": "Test depot", "operator": "556677-8899", "timeZone": "Europe/Stockholm",
                 "periodMonths": %d, "firstPeriod": "%s", "periodReason": null,
                 "products": [{"product": "HVO", "unit": "m3"}, {"product": "FAME", "unit": "m3"}],
                 "blendGroups": [], "overdraft": "ALLOW_WITHIN_PERIOD", "allocation": "FIFO",
                 "autoCloseAfterDays": %s}""".formatted(months, first, autoCloseAfterDays);
    }

    public static ValidatableResponse putSite(String siteId, String body) {
        return given().contentType("application/json").body(body).when().put("/api/v1/sites/{site}", siteId).then();
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
