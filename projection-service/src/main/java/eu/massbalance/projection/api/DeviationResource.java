package eu.massbalance.projection.api;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.projection.messaging.DeviationStream;
import eu.massbalance.projection.store.ReadModels;
import io.smallrye.mutiny.Multi;
import eu.massbalance.contracts.access.Principal;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import java.util.Set;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Authenticated
@Path("/api/v1/deviations")
@Tag(name = "Deviations", description = "Deviations (R-16..R-18) and the stream of MAJOR ones")
public class DeviationResource {

    @Inject
    ReadModels read;

    @Inject
    DeviationStream stream;

    @Inject
    Access access;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deviations of the organisations the caller may read, filtered by site, class (OBSERVATION, MINOR, MAJOR) and status (OPEN, ACTION_PLANNED, CLOSED)")
    public ReadModels.Page<JsonNode> list(@QueryParam("siteId") String siteId, @QueryParam("class") String deviationClass,
                                          @QueryParam("status") String status, @QueryParam("after") @DefaultValue("0") long after,
                                          @QueryParam("limit") @DefaultValue("100") int limit) {
        Principal caller = access.require(Principal.COMPLIANCE_OFFICER, Principal.AUDITOR);
        return read.deviations(caller.readable(), siteId, deviationClass, status, after, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "MAJOR deviations as Server-Sent Events, as soon as they are published")
    public Multi<JsonNode> stream() {
        Set<String> readable = access.require(Principal.COMPLIANCE_OFFICER, Principal.AUDITOR).readable();
        return stream.major().filter(d -> read.organisationOf(d.path("siteId").asText()).map(readable::contains).orElse(false));
    }
}
