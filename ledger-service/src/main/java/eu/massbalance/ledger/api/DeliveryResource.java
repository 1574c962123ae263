package eu.massbalance.ledger.api;

import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.ledger.intake.DeliveryIntake;
import eu.massbalance.ledger.access.SiteAccess;
import eu.massbalance.ledger.intake.DeliveryIntake.Outcome;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.intake.ReversalIntake;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Authenticated
@Path("/api/v1/sites/{siteId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "Deliveries", description = "Inbound and outbound deliveries from depot ERP systems")
public class DeliveryResource {

    @Inject
    SiteAccess access;

    static final String INBOUND_EXAMPLE = """
            {"deliveryId": "ERP-4711", "direction": "INBOUND", "occurredAt": "2025-03-04T10:15:00+01:00",
             "product": "HVO", "quantity": {"amount": "38.000", "unit": "m3"},
             "supplierId": "supplier-rotterdam", "transportDocument": "CMR-889911",
             "sustainable": [{"batchId": "B-2025-0042", "amount": "38.000", "characteristics": {
                "profile": "red-biofuel-v1", "fuelCategory": "HVO", "rawMaterial": "Used cooking oil",
                "countryOfOrigin": "NL", "rawMaterialGroup": "OTHER", "annexIX": "B",
                "residueOrWaste": true, "celluloseType": "NONE",
                "lowerHeatingValue": {"amount": "34.4", "unit": "MJ/l"},
                "ghgEmissions": {"amount": "14.2", "unit": "gCO2e/MJ"}, "ghgMethod": "ACTUAL",
                "productionPathway": null, "credits": [], "voluntaryScheme": "ISCC EU",
                "installationStart": "2012-05-01", "certificateId": "EU-ISCC-Cert-XX000-00000",
                "proofOfSustainability": "PoS-2025-000123"}}]}""";
    static final String OUTBOUND_EXAMPLE = """
            {"deliveryId": "ERP-4712", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00",
             "product": "HVO", "quantity": {"amount": "30", "unit": "m3"}, "customerId": "haulier-12",
             "useArea": "TRANSPORT", "taxLiability": true, "sustainable": [{"amount": "30"}]}""";
    static final String TRANSFER_EXAMPLE = """
            {"deliveryId": "T-100", "direction": "OUTBOUND", "occurredAt": "2025-03-10T08:00:00+01:00",
             "product": "HVO", "quantity": {"amount": "25", "unit": "m3"}, "destinationSiteId": "depot-jonkoping",
             "transportDocument": "CMR-T-100", "sustainable": [{"amount": "25"}]}""";

    @Inject
    DeliveryIntake intake;

    @Inject
    ReversalIntake reversals;

    /** {@code statusUrl}: where the delivery's fate after the 202 is served (the read side; also the Location header). */
    public record Accepted(String eventId, String siteId, String deliveryId, String status, String statusUrl) {
    }

    @Inject
    StatusLinks links;

    public record Batch(List<ErpDelivery> deliveries) {
    }

    public record BatchItem(String deliveryId, String status, String eventId, List<eu.massbalance.contracts.FieldProblem> errors,
                            String message) {
    }

    public record BatchResult(int accepted, int duplicates, int rejected, List<BatchItem> results) {
    }

    public record ReversalRequest(String reason) {
    }

    @POST
    @Path("deliveries")
    @Operation(summary = "Record one delivery",
            description = "Validates the delivery and appends it to the site's log. 202 means it is durably in Kafka. "
                    + "The same deliveryId again returns the original result and appends nothing; a different payload "
                    + "under an accepted deliveryId is 409. An outbound naming destinationSiteId is a transfer to another site "
                    + "of the organisation (R-22): its sustainable part is drawn here all or nothing, and the batches with "
                    + "their characteristics appear at the destination as IN_TRANSIT (transferId <this site>:<deliveryId>) "
                    + "until it confirms receipt (POST …/sites/{destination}/transfers/{transferId}/receipt). A destination "
                    + "that is unknown, this site, of another organisation or without the product is 400 "
                    + "(TRANSFER_DESTINATION_UNKNOWN, TRANSFER_TO_SAME_SITE, TRANSFER_OTHER_ORGANISATION, "
                    + "PRODUCT_NOT_AT_DESTINATION on destinationSiteId) and nothing is appended.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ErpDelivery.class), examples = {
            @ExampleObject(name = "inbound", value = INBOUND_EXAMPLE), @ExampleObject(name = "outbound", value = OUTBOUND_EXAMPLE),
            @ExampleObject(name = "transfer to another site", value = TRANSFER_EXAMPLE)}))
    @APIResponse(responseCode = "202", description = "Appended to the site's log (or appended before: the original result)")
    @APIResponse(responseCode = "400", description = "Invalid; every field problem is listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown site", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "Another payload was accepted under this deliveryId",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response post(@PathParam("siteId") String siteId, ErpDelivery delivery) {
        String actor = access.erpFor(siteId).actor();
        if (delivery == null) {
            throw new InvalidInput("", "REQUIRED", "A delivery body is required");
        }
        Outcome outcome = intake.accept(siteId, delivery, actor);
        java.net.URI status = links.delivery(siteId, outcome.deliveryId());
        return Response.accepted(new Accepted(outcome.eventId().toString(), siteId, outcome.deliveryId(), "ACCEPTED",
                        status.toString()))
                .header("Idempotent-Replayed", outcome.status() == DeliveryIntake.Status.DUPLICATE)
                .location(status)
                .build();
    }

    @POST
    @Path("deliveries/{deliveryId}/reversal")
    @Operation(summary = "Reverse a delivery",
            description = "A correction event that undoes a booked delivery of an open period (R-15). A delivery of a closed "
                    + "period is not reversed; post a compensating delivery. Once per delivery; repeating returns the original result.")
    @APIResponse(responseCode = "202", description = "The reversal is on the site's log")
    @APIResponse(responseCode = "404", description = "No such delivery accepted at this site", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response reverse(@PathParam("siteId") String siteId, @PathParam("deliveryId") String deliveryId,
                            ReversalRequest request) {
        String actor = access.erpFor(siteId).actor();
        UUID eventId = reversals.reverse(siteId, deliveryId, request == null ? null : request.reason(), actor);
        java.net.URI status = links.delivery(siteId, deliveryId);
        return Response.accepted(new Accepted(eventId.toString(), siteId, deliveryId, "ACCEPTED", status.toString()))
                .location(status).build();
    }
}
