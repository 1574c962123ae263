package eu.massbalance.ledger.api;

import eu.massbalance.ledger.access.SiteAccess;
import eu.massbalance.ledger.intake.ControlIntake;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Period closes, merges and the deviation workflow, by a compliance officer of the site's
 * organisation; the token's subject is kept on the event as who asked. Each command is appended once: a close per period, a merge per target batch, a
 * workflow command per {@code Idempotency-Key}.
 */
@Authenticated
@Path("/api/v1/sites/{siteId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class ControlResource {

    @Inject
    SiteAccess access;

    @Inject
    ControlIntake control;

    /** {@code statusUrl}: where the command's fate is served (the read side; also the Location header). */
    public record Appended(String eventId, String siteId, String status, String statusUrl) {
    }

    public record Reclassification(String newClass, String reason) {
    }

    public record ActionPlan(String actionPlan) {
    }

    public record Closure(String resolution) {
    }

    public record Merge(String product, List<String> sourceBatchIds, String targetBatchId, String reason) {
    }

    static final String IDEMPOTENCY = "Idempotency-Key";
    static final String IDEMPOTENCY_DESCRIPTION = "Optional. The same key again returns the first request's event id and"
            + " appends nothing; the same key with another command is 409 IDEMPOTENCY_KEY_REUSED. Without a key, every"
            + " request is a new command.";

    @POST
    @Path("periods/{periodId}/close")
    @Consumes(MediaType.WILDCARD)
    @Tag(name = "Periods")
    @Operation(summary = "Close a period", description = "periodId is the period's first month, YYYY-MM. Periods close in "
            + "order, once; a period that has not ended is refused (409). Also done by the scheduler after the period "
            + "end plus the site's autoCloseAfterDays.")
    public Response close(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId) {
        String actor = access.officerOf(siteId).actor();
        return accepted(siteId, control.closePeriod(siteId, periodId, actor));
    }

    @POST
    @Path("deviations/{deviationId}/reclassification")
    @Tag(name = "Deviations")
    @Operation(summary = "Reclassify a deviation, with a written reason (R-16)")
    public Response reclassify(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                               Reclassification body,
                               @Parameter(description = IDEMPOTENCY_DESCRIPTION) @HeaderParam(IDEMPOTENCY) String key) {
        String actor = access.officerOf(siteId).actor();
        return accepted(siteId, control.reclassify(siteId, deviationId, body == null ? null : body.newClass(),
                body == null ? null : body.reason(), actor, key));
    }

    @POST
    @Path("deviations/{deviationId}/action-plan")
    @Tag(name = "Deviations")
    @Operation(summary = "Add the action plan: OPEN becomes ACTION_PLANNED (R-18)")
    public Response plan(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId, ActionPlan body,
                         @Parameter(description = IDEMPOTENCY_DESCRIPTION) @HeaderParam(IDEMPOTENCY) String key) {
        String actor = access.officerOf(siteId).actor();
        return accepted(siteId, control.planAction(siteId, deviationId, body == null ? null : body.actionPlan(), actor, key));
    }

    @POST
    @Path("deviations/{deviationId}/closure")
    @Tag(name = "Deviations")
    @Operation(summary = "Close a deviation (a MAJOR one only after its action plan)")
    public Response closeDeviation(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                                   Closure body,
                                   @Parameter(description = IDEMPOTENCY_DESCRIPTION) @HeaderParam(IDEMPOTENCY) String key) {
        String actor = access.officerOf(siteId).actor();
        return accepted(siteId, control.closeDeviation(siteId, deviationId, body == null ? null : body.resolution(), actor, key));
    }

    @POST
    @Path("batch-merges")
    @Tag(name = "Batches")
    @Operation(summary = "Merge batches that differ only in transport emissions (R-05)", description = "The one merge the "
            + "guidance allows: batches of one product from the same country of origin whose characteristics differ only in "
            + "their transport emissions become one new batch carrying the highest transport emission of them. Averaging "
            + "is never allowed (R-04). The shape is checked here (400); whether the batches on hand may merge is decided "
            + "by the projection from their characteristics, which refuses the merge otherwise. Once per targetBatchId: "
            + "the same merge again returns its event id, another merge into the same id is 409.")
    public Response merge(@PathParam("siteId") String siteId, Merge body) {
        String actor = access.officerOf(siteId).actor();
        return accepted(siteId, control.merge(siteId, body == null ? null : body.product(),
                body == null ? null : body.sourceBatchIds(), body == null ? null : body.targetBatchId(),
                body == null ? null : body.reason(), actor));
    }

    /** The batches a site already holds of one product when it starts using the ledger. */
    public record OpeningStock(List<eu.massbalance.contracts.event.BatchLine> batches) {
    }

    @PUT
    @Path("opening-stock/{product}")
    @Tag(name = "Batches")
    @Operation(summary = "Declare the stock of a product the site holds when it starts (going live)", description = "Once per"
            + " product, before any delivery is accepted at the site: batches with full characteristics and evidence, amounts in"
            + " the product's unit, validated like an inbound's. They open the first period and come first in FIFO order"
            + " (R-11). The same declaration again returns its event id; another one for the product is 409.")
    public Response openingStock(@PathParam("siteId") String siteId, @PathParam("product") String product, OpeningStock body) {
        String actor = access.officerOf(siteId).actor();
        return accepted(siteId, control.declareOpeningStock(siteId, product, body == null ? null : body.batches(), actor));
    }

    /** A physical count of one product: what was there, when, how it was measured. */
    public record StockCount(String product, eu.massbalance.contracts.Quantity counted, java.time.OffsetDateTime countedAt,
                             String method, String note) {
    }

    @POST
    @Path("stock-counts")
    @Tag(name = "Batches")
    @Operation(summary = "Record a physical stock count of a product (dip readings, tank gauging)", description = "The"
            + " projection compares it with the book stock of the product's mixture; a difference beyond the site's"
            + " stockCountTolerancePercent (default 0.5 % of the book stock) raises a STOCK_COUNT_DIFFERENCE deviation,"
            + " an OBSERVATION that escalates like the others. Once per product and countedAt.")
    public Response stockCount(@PathParam("siteId") String siteId, StockCount body) {
        String actor = access.officerOf(siteId).actor();
        return accepted(siteId, control.recordStockCount(siteId, body == null ? null : body.product(),
                body == null ? null : body.counted(), body == null ? null : body.countedAt(),
                body == null ? null : body.method(), body == null ? null : body.note(), actor));
    }

    @Inject
    StatusLinks links;

    private Response accepted(String siteId, UUID eventId) {
        java.net.URI status = links.command(siteId, eventId.toString());
        return Response.accepted(new Appended(eventId.toString(), siteId, "ACCEPTED", status.toString())).location(status).build();
    }
}
