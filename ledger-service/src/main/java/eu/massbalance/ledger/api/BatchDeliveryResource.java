package eu.massbalance.ledger.api;

import eu.massbalance.ledger.access.SiteAccess;
import eu.massbalance.ledger.api.DeliveryResource.Batch;
import eu.massbalance.ledger.api.DeliveryResource.BatchItem;
import eu.massbalance.ledger.api.DeliveryResource.BatchResult;
import eu.massbalance.ledger.intake.DeliveryIntake;
import eu.massbalance.ledger.intake.DeliveryIntake.Outcome;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Authenticated
@Path("/api/v1/sites/{siteId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "Deliveries")
public class BatchDeliveryResource {

    @Inject
    SiteAccess access;

    @Inject
    DeliveryIntake intake;

    @POST
    @Path("deliveries:batch")
    @Operation(summary = "Record many deliveries of one site",
            description = "Each delivery is validated and deduplicated on its own; the valid ones are appended together. "
                    + "202 when every delivery was accepted (or was already), 207 when some were not, with a result per delivery.")
    @APIResponse(responseCode = "202", description = "Every delivery accepted")
    @APIResponse(responseCode = "207", description = "Some deliveries invalid or in conflict; see results")
    public Response batch(@PathParam("siteId") String siteId, Batch batch) {
        String actor = access.erpFor(siteId).actor();
        if (batch == null || batch.deliveries() == null || batch.deliveries().isEmpty()) {
            throw new InvalidInput("deliveries", "REQUIRED", "deliveries must list at least one delivery");
        }
        if (batch.deliveries().size() > 5000) {
            throw new InvalidInput("deliveries", "TOO_MANY", "At most 5000 deliveries per call");
        }
        List<Outcome> outcomes = intake.acceptAll(siteId, batch.deliveries(), actor);
        List<BatchItem> items = outcomes.stream().map(o -> new BatchItem(o.deliveryId(),
                o.status() == DeliveryIntake.Status.DUPLICATE ? "ACCEPTED" : o.status().name(),
                o.eventId() == null ? null : o.eventId().toString(), o.problems(), o.message())).toList();
        int accepted = (int) outcomes.stream().filter(o -> o.status() == DeliveryIntake.Status.ACCEPTED).count();
        int duplicates = (int) outcomes.stream().filter(o -> o.status() == DeliveryIntake.Status.DUPLICATE).count();
        int rejected = outcomes.size() - accepted - duplicates;
        return Response.status(rejected == 0 ? 202 : 207).entity(new BatchResult(accepted, duplicates, rejected, items)).build();
    }

}
