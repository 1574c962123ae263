package eu.massbalance.ledger.api;

import eu.massbalance.ledger.access.SiteAccess;
import eu.massbalance.ledger.intake.FlowIntake;
import eu.massbalance.ledger.intake.FlowIntake.Appended;
import eu.massbalance.ledger.problem.InvalidInput;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Material flows, posted by the site's ERP: processing runs at a production site and the
 * receipt of a transfer from another site of the organisation. A transfer itself is an
 * outbound delivery that names {@code destinationSiteId} ({@code POST …/deliveries}).
 */
@Authenticated
@Path("/api/v1/sites/{siteId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "Flows", description = "Transfers between sites and processing runs (R-22, R-23)")
public class FlowResource {

    static final String RUN_EXAMPLE = """
            {"runId": "RUN-2025-031", "occurredAt": "2025-03-10T06:00:00+01:00",
             "inputProduct": "BLACK_MASS", "inputQuantity": {"amount": "1000", "unit": "kg"},
             "inputs": [{"amount": "1000"}],
             "outputs": [
               {"product": "NICKEL_SULPHATE", "quantity": {"amount": "700", "unit": "kg"}, "factor": "0.8",
                "declared": {"profile": "battery-material-v1", "material": "NICKEL_SULPHATE", "contentNi": "0.22",
                             "carbonFootprint": {"amount": "3.1", "unit": "kgCO2e/kg"}, "carbonFootprintMethod": "PEF 3.1"}},
               {"product": "COBALT_SULPHATE", "quantity": {"amount": "150", "unit": "kg"}, "factor": "0.2",
                "declared": {"profile": "battery-material-v1", "material": "COBALT_SULPHATE", "contentCo": "0.21",
                             "carbonFootprint": {"amount": "4.0", "unit": "kgCO2e/kg"}, "carbonFootprintMethod": "PEF 3.1"}}]}""";
    static final String HVO_RUN_EXAMPLE = """
            {"runId": "HVO-2025-07", "occurredAt": "2025-03-10T06:00:00+01:00",
             "inputProduct": "UCO", "inputQuantity": {"amount": "100", "unit": "t"},
             "inputs": [{"amount": "100"}],
             "outputs": [{"product": "HVO", "quantity": {"amount": "105", "unit": "m3"}, "factor": "1.08",
                          "declared": {"profile": "red-biofuel-v1", "fuelCategory": "HVO",
                                       "lowerHeatingValue": {"amount": "34.4", "unit": "MJ/l"},
                                       "ghgEmissions": {"amount": "9.8", "unit": "gCO2e/MJ"}, "ghgMethod": "ACTUAL",
                                       "installationStart": "2012-05-01"}}]}""";
    static final String RECEIPT_EXAMPLE = """
            {"occurredAt": "2025-03-07T13:30:00+01:00", "received": {"amount": "19.96", "unit": "m3"},
             "transportDocument": "CMR-990011"}""";

    @Inject
    SiteAccess access;

    @Inject
    FlowIntake flows;

    @Inject
    StatusLinks links;

    public record Accepted(String eventId, String siteId, String reference, String status, String statusUrl) {
    }

    @POST
    @Path("processing-runs")
    @Operation(summary = "Record a processing run (R-23)", description = "At a production site: inputQuantity of inputProduct "
            + "is consumed, its sustainable part (inputs: claims, naming a batch or not) drawn all at once, and each output "
            + "made. factor is the most output one unit of input gives, in the units the quantities are stated in; an output "
            + "above inputQuantity × factor is 400 PROCESSING_OUTPUT_EXCEEDS_FACTOR and nothing is booked. Each input batch "
            + "yields its own batch of every output, <runId>.out<output n>.<input k>, in proportion to the output's share of the "
            + "input; it carries the input's characteristics, with the output's declared fields (what belongs to the product "
            + "made: fuel category or material, heating value, content, GHG or carbon footprint) laid over them. Fields per "
            + "unit of material (raw material, origin, Annex IX part, recycled shares, recycling facility, due diligence) "
            + "carry over and may not be declared. The run id takes its place among the site's delivery ids; the same run "
            + "again returns the original result. The run's fate: GET /api/v1/sites/{siteId}/deliveries/{runId} on the read side.")
    @RequestBody(content = @Content(schema = @Schema(implementation = FlowIntake.RunRequest.class), examples = {
            @ExampleObject(name = "black mass into sulphates", value = RUN_EXAMPLE),
            @ExampleObject(name = "used cooking oil into HVO", value = HVO_RUN_EXAMPLE)}))
    @APIResponse(responseCode = "202", description = "Appended to the site's log (or before: the original result)")
    @APIResponse(responseCode = "400", description = "Invalid; every field problem is listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Another payload was accepted under this runId",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response process(@PathParam("siteId") String siteId, FlowIntake.RunRequest run) {
        String actor = access.erpFor(siteId).actor();
        if (run == null) {
            throw new InvalidInput("", "REQUIRED", "A processing run body is required");
        }
        Appended appended = flows.process(siteId, run, actor);
        java.net.URI status = links.delivery(siteId, run.runId());
        return Response.accepted(new Accepted(appended.eventId().toString(), siteId, run.runId(), "ACCEPTED", status.toString()))
                .header("Idempotent-Replayed", appended.replayed()).location(status).build();
    }

    @POST
    @Path("transfers/{transferId}/receipt")
    @Operation(summary = "Confirm the receipt of a transfer (R-22)", description = "At the destination: transferId is "
            + "<source site id>:<the source's delivery id>. The transfer's batches enter this site's stock with their "
            + "characteristics unchanged, in the period of occurredAt (R-09). Less received than dispatched: each batch in "
            + "proportion, and the sustainable quantity missing is never claimable; more: the surplus is non-sustainable. A "
            + "difference beyond this site's stockCountTolerancePercent raises TRANSFER_DIFFERENCE (OBSERVATION). Once per "
            + "transfer: the same receipt again returns the original result, another one is 409. 404 TRANSFER_UNKNOWN when "
            + "no such transfer is on its way to this site (its source books it out first; it is in transit here about a "
            + "second later). Transfers in transit: GET /api/v1/sites/{siteId}/transfers on "
            + "the read side.")
    @RequestBody(content = @Content(schema = @Schema(implementation = FlowIntake.ReceiptRequest.class), examples = {
            @ExampleObject(name = "receipt", value = RECEIPT_EXAMPLE)}))
    @APIResponse(responseCode = "202", description = "The receipt is on the site's log")
    @APIResponse(responseCode = "400", description = "Invalid; every field problem is listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such transfer in transit to this site", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "Received before, with another quantity or date",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response receive(@PathParam("siteId") String siteId, @PathParam("transferId") String transferId,
                            FlowIntake.ReceiptRequest receipt) {
        String actor = access.erpFor(siteId).actor();
        Appended appended = flows.receive(siteId, transferId, receipt, actor);
        java.net.URI status = links.delivery(siteId, transferId);
        return Response.accepted(new Accepted(appended.eventId().toString(), siteId, transferId, "ACCEPTED", status.toString()))
                .location(status).build();
    }
}
