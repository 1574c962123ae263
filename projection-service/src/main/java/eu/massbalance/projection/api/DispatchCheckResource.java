package eu.massbalance.projection.api;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.projection.store.DispatchCheck;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Before dispatch: can this outbound's sustainable claim be covered now, and from which batches. */
@Path("/api/v1/sites/{siteId}/dispatch-check")
@Authenticated
public class DispatchCheckResource {

    /** The outbound in question: its product and sustainable quantity, and the batch it names if any. */
    public record Question(String product, Quantity quantity, String batchId) {
    }

    @Inject
    Access access;

    @Inject
    DispatchCheck check;

    @Inject
    eu.massbalance.projection.store.DispatchViews views;

    /** Worker threads that carry the request's context (caller, request scope) along. */
    @Inject
    org.eclipse.microprofile.context.ManagedExecutor workers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Could this outbound's sustainable claim be covered from stock on hand now, from which batches",
            description = "FIFO through the product's mixture, or the named batch; the open period's sustainable stock before and"
                    + " after. outcome COVERED, OPEN_CLAIM (the rest stays open until an inbound covers it within the period) or"
                    + " NOT_COVERED (the site forbids overdraft). Reserves nothing, appends nothing: the answer is the state at"
                    + " asOfSeq. For an ERP client or a compliance officer of the site's organisation.")
    public io.smallrye.mutiny.Uni<Response> check(@PathParam("siteId") String siteId, Question question, @Context UriInfo uri) {
        // a site this instance projects is answered from memory on the I/O thread; any other needs the database, on a worker
        if (views.view(siteId).isPresent()) {
            return io.smallrye.mutiny.Uni.createFrom().item(answer(siteId, question, uri));
        }
        return io.smallrye.mutiny.Uni.createFrom().item(() -> answer(siteId, question, uri)).runSubscriptionOn(workers);
    }

    private Response answer(String siteId, Question question, UriInfo uri) {
        access.dispatcherOf(siteId);
        List<FieldProblem> problems = new ArrayList<>();
        if (question == null) {
            problems.add(new FieldProblem("", "REQUIRED", "A body {product, quantity, batchId?} is required"));
        } else {
            Bounds.identifier("product", question.product(), problems);
            if (question.quantity() == null || question.quantity().amount() == null || question.quantity().unit() == null) {
                problems.add(new FieldProblem("quantity", "REQUIRED", "quantity {amount, unit} is required"));
            } else {
                Bounds.amount("quantity.amount", question.quantity().amount(), problems);
                if (question.quantity().amount().signum() <= 0) {
                    problems.add(new FieldProblem("quantity.amount", "NOT_POSITIVE", "quantity must be positive"));
                }
            }
            Bounds.optionalIdentifier("batchId", question.batchId(), problems);
        }
        if (!problems.isEmpty()) {
            return Problems.problem(400, "INVALID", "The question cannot be answered as asked", problems, uri);
        }
        try {
            return Response.ok(check.check(siteId, question.product(), question.quantity(), question.batchId())).build();
        } catch (DispatchCheck.Unanswerable e) {
            return Problems.problem(e.unknown ? 404 : 400, e.code, e.getMessage(), List.of(), uri);
        }
    }
}
