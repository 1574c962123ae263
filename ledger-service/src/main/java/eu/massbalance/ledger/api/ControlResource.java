package eu.massbalance.ledger.api;

import eu.massbalance.ledger.intake.ControlIntake;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Period closes and the deviation workflow. {@code X-Actor} names who asked; it is kept on the event. */
@Path("/api/v1/sites/{siteId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class ControlResource {

    @Inject
    ControlIntake control;

    public record Appended(String eventId, String siteId, String status) {
    }

    public record Reclassification(String newClass, String reason) {
    }

    public record ActionPlan(String actionPlan) {
    }

    public record Closure(String resolution) {
    }

    @POST
    @Path("periods/{periodId}/close")
    @Consumes(MediaType.WILDCARD)
    @Tag(name = "Periods")
    @Operation(summary = "Close a period", description = "periodId is the period's first month, YYYY-MM. Periods close in "
            + "order, once; a period that has not ended is refused (409). Also done by the scheduler after the period "
            + "end plus the site's autoCloseAfterDays.")
    public Response close(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId,
                          @HeaderParam("X-Actor") String actor) {
        return accepted(siteId, control.closePeriod(siteId, periodId, actor));
    }

    @POST
    @Path("deviations/{deviationId}/reclassification")
    @Tag(name = "Deviations")
    @Operation(summary = "Reclassify a deviation, with a written reason (R-16)")
    public Response reclassify(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                               Reclassification body, @HeaderParam("X-Actor") String actor) {
        return accepted(siteId, control.reclassify(siteId, deviationId, body == null ? null : body.newClass(),
                body == null ? null : body.reason(), actor));
    }

    @POST
    @Path("deviations/{deviationId}/action-plan")
    @Tag(name = "Deviations")
    @Operation(summary = "Add the action plan: OPEN becomes ACTION_PLANNED (R-18)")
    public Response plan(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId, ActionPlan body,
                         @HeaderParam("X-Actor") String actor) {
        return accepted(siteId, control.planAction(siteId, deviationId, body == null ? null : body.actionPlan(), actor));
    }

    @POST
    @Path("deviations/{deviationId}/closure")
    @Tag(name = "Deviations")
    @Operation(summary = "Close a deviation (a MAJOR one only after its action plan)")
    public Response closeDeviation(@PathParam("siteId") String siteId, @PathParam("deviationId") String deviationId,
                                   Closure body, @HeaderParam("X-Actor") String actor) {
        return accepted(siteId, control.closeDeviation(siteId, deviationId, body == null ? null : body.resolution(), actor));
    }

    private static Response accepted(String siteId, UUID eventId) {
        return Response.accepted(new Appended(eventId.toString(), siteId, "ACCEPTED")).build();
    }
}
