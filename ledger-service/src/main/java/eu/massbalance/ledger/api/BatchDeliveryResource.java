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

    /** A row, or the rows of one delivery, that did not load: its lines and why. */
    public record CsvRejected(int line, int lastLine, String deliveryId, String status, List<eu.massbalance.contracts.FieldProblem> problems,
                              String message) {
    }

    /** The load as it goes (every 1000 deliveries) and at its end. */
    public record CsvProgress(boolean done, int lines, int deliveries, int accepted, int duplicates, int rejected,
                              List<CsvRejected> rejections) {
    }

    /** Deliveries per call to the intake: one claim transaction and one append of at most this many. */
    static final int CSV_CHUNK = 1000;

    @POST
    @Path("deliveries:csv")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces("application/x-ndjson")
    @Operation(summary = "Load historical deliveries of one site from a CSV file",
            description = "The file streams through the same validation and deduplication as every delivery, 1000 at a time:"
                    + " each delivery is accepted, a duplicate of one accepted before (loading the file again changes nothing),"
                    + " or rejected with its line numbers and problems; a bad row never stops the load. The answer is a stream"
                    + " of JSON lines: progress every 1000 deliveries, then the report (done: true) with every rejection."
                    + " Columns: deliveryId, direction, occurredAt, product, quantity, unit (required); supplierId,"
                    + " transportDocument, customerId, useArea, taxLiability, batchId, sustainableAmount; c:profile and"
                    + " c:<characteristic> (a measure as '12.5 gCO2e/MJ'). Consecutive rows with one deliveryId are one"
                    + " delivery with several batches. At most 10 MB per file: split larger histories.")
    public Response csv(@PathParam("siteId") String siteId, java.io.InputStream body) {
        String actor = access.erpFor(siteId).actor();
        if (body == null) {
            throw new InvalidInput("", "REQUIRED", "A CSV file is required");
        }
        java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(body,
                java.nio.charset.StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)));
        eu.massbalance.ledger.intake.CsvDeliveries file;
        try {
            file = new eu.massbalance.ledger.intake.CsvDeliveries(reader);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("", "CSV_HEADER", e.getMessage());
        } catch (java.io.IOException e) {
            throw new InvalidInput("", "CSV_UNREADABLE", "The file cannot be read as UTF-8 text");
        }
        jakarta.ws.rs.core.StreamingOutput stream = out -> {
            java.io.Writer writer = new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8);
            int accepted = 0;
            int duplicates = 0;
            int deliveries = 0;
            List<CsvRejected> rejected = new java.util.ArrayList<>();
            List<eu.massbalance.ledger.intake.CsvDeliveries.Read> chunk = new java.util.ArrayList<>();
            boolean end = false;
            while (!end) {
                eu.massbalance.ledger.intake.CsvDeliveries.Read read;
                try {
                    read = file.next();
                } catch (java.io.IOException e) {
                    rejected.add(new CsvRejected(file.line(), file.line(), null, "UNREADABLE",
                            List.of(new eu.massbalance.contracts.FieldProblem("", "CSV_UNREADABLE",
                                    "The file cannot be read further as UTF-8 text")), null));
                    read = null;
                }
                if (read != null) {
                    deliveries++;
                    if (read.delivery() == null) {
                        rejected.add(new CsvRejected(read.firstLine(), read.lastLine(), read.deliveryId(), "INVALID", read.problems(), null));
                    } else {
                        chunk.add(read);
                    }
                }
                end = read == null;
                if (chunk.size() == CSV_CHUNK || end && !chunk.isEmpty()) {
                    List<Outcome> outcomes = intake.acceptAll(siteId, chunk.stream().map(
                            eu.massbalance.ledger.intake.CsvDeliveries.Read::delivery).toList(), actor);
                    for (int i = 0; i < outcomes.size(); i++) {
                        Outcome o = outcomes.get(i);
                        eu.massbalance.ledger.intake.CsvDeliveries.Read r = chunk.get(i);
                        switch (o.status()) {
                            case ACCEPTED -> accepted++;
                            case DUPLICATE -> duplicates++;
                            default -> rejected.add(new CsvRejected(r.firstLine(), r.lastLine(), r.deliveryId(), o.status().name(),
                                    o.problems(), o.message()));
                        }
                    }
                    chunk.clear();
                    if (!end) {
                        writer.write(eu.massbalance.contracts.json.LedgerJson.write(new CsvProgress(false, file.line(), deliveries,
                                accepted, duplicates, rejected.size(), List.of())) + "\n");
                        writer.flush();
                    }
                }
            }
            writer.write(eu.massbalance.contracts.json.LedgerJson.write(new CsvProgress(true, file.line(), deliveries, accepted,
                    duplicates, rejected.size(), rejected)) + "\n");
            writer.flush();
        };
        return Response.ok(stream, "application/x-ndjson").build();
    }
}
