package eu.massbalance.projection.api;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.projection.messaging.DeviationStream;
import eu.massbalance.projection.store.ReadModels;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/v1/deviations")
@Tag(name = "Deviations", description = "Deviations (R-16..R-18) and the stream of MAJOR ones")
public class DeviationResource {

    @Inject
    ReadModels read;

    @Inject
    DeviationStream stream;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deviations, filtered by site, class (OBSERVATION, MINOR, MAJOR) and status (OPEN, ACTION_PLANNED, CLOSED)")
    public ReadModels.Page<JsonNode> list(@QueryParam("siteId") String siteId, @QueryParam("class") String deviationClass,
                                          @QueryParam("status") String status, @QueryParam("after") @DefaultValue("0") long after,
                                          @QueryParam("limit") @DefaultValue("100") int limit) {
        return read.deviations(siteId, deviationClass, status, after, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "MAJOR deviations as Server-Sent Events, as soon as they are published")
    public Multi<JsonNode> stream() {
        return stream.major();
    }
}
