package eu.massbalance.projection.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.projection.api.Access;
import eu.massbalance.projection.store.AuditSamples;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Audit samples (R-20) of a site: drawn by an auditor or a compliance officer who reads the site,
 * recorded with their seed, and downloadable as JSON or CSV.
 */
@Authenticated
@Path("/api/v1/sites/{siteId}/samples")
@Tag(name = "Audit", description = "Chain verification, journal export, signed statements, audit samples")
public class SampleResource {

    @Inject
    Access access;

    @Inject
    Sampling sampling;

    @Inject
    AuditSamples samples;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Draw an audit sample of a period's movements (R-20)", description = "size movements (1 to 1000) of the "
            + "movements booked in periodId, pending and refused ones left out, drawn reproducibly from seed (0 to 2^53-1; drawn "
            + "at random and recorded when absent), optionally weighted by risk: LARGE_QUANTITY (at or above the period's 90th "
            + "percentile for the product) 2, LATE_POSTING 2, LINKED_TO_DEVIATION 3, SUPPLIER_CERTIFICATE_LAPSED 3, added to 1. "
            + "asOfSeq fixes the log position drawn from (default: the site's last event), so the same seed and asOfSeq give the "
            + "same sample. The sample is recorded with who drew it; 201 with its address.")
    public Response draw(@PathParam("siteId") String siteId, Sampling.Request request) {
        Principal caller = access.readerOf(siteId);
        JsonNode sample = sampling.draw(siteId, request, caller);
        return Response.created(URI.create("/api/v1/sites/" + siteId + "/samples/" + sample.path("sampleId").asText()))
                .entity(sample).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The site's audit samples, newest first (at most 500)")
    public List<JsonNode> list(@PathParam("siteId") String siteId) {
        access.readerOf(siteId);
        return samples.list(siteId);
    }

    @GET
    @Path("{sampleId}")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "One audit sample as drawn; format=csv for a file to check against paper")
    public Response one(@PathParam("siteId") String siteId, @PathParam("sampleId") String sampleId,
                        @QueryParam("format") String format) {
        access.readerOf(siteId);
        JsonNode sample = samples.find(siteId, sampleId).orElseThrow(() -> new NotFoundException("No sample " + sampleId));
        if (!"csv".equals(format)) {
            return Response.ok(sample, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(csv(sample).getBytes(StandardCharsets.UTF_8), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"sample-" + sampleId + ".csv\"").build();
    }

    /** The drawn movements, one per line, preceded by what makes the sample reproducible. */
    static String csv(JsonNode sample) {
        StringBuilder csv = new StringBuilder();
        csv.append("# sample ").append(sample.path("sampleId").asText()).append(", site ").append(sample.path("siteId").asText())
                .append(", period ").append(sample.path("periodId").asText()).append(", seed ").append(sample.path("seed").asText())
                .append(", weighted ").append(sample.path("weighted").asText()).append(", asOfSeq ")
                .append(sample.path("asOfSeq").asText()).append(", drawn by ").append(sample.path("drawnBy").asText())
                .append(" at ").append(sample.path("drawnAt").asText()).append("\r\n");
        csv.append("rank,deliveryId,seq,direction,product,quantity,risks,weight,checked,note\r\n");
        for (JsonNode item : sample.path("items")) {
            List<String> risks = new java.util.ArrayList<>();
            item.path("risks").forEach(r -> risks.add(r.asText()));
            java.util.Collections.sort(risks);
            csv.append(item.path("rank").asText()).append(',').append(cell(item.path("deliveryId").asText())).append(',')
                    .append(item.path("seq").asText()).append(',').append(item.path("direction").asText()).append(',')
                    .append(cell(item.path("product").asText())).append(',').append(item.path("quantity").asText()).append(',')
                    .append(String.join(" ", risks)).append(',').append(item.path("weight").asText()).append(",,\r\n");
        }
        return csv.toString();
    }

    private static String cell(String value) {
        String text = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return text.matches(".*[,\"\r\n].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
