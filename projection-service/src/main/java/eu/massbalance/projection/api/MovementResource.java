package eu.massbalance.projection.api;

import eu.massbalance.projection.store.ProjectionStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/sites/{siteId}/movements")
@Produces(MediaType.APPLICATION_JSON)
public class MovementResource {

    @Inject
    ProjectionStore store;

    public record Movements(String siteId, List<ProjectionStore.MovementRow> items) {
    }

    @GET
    public Movements list(@PathParam("siteId") String siteId) {
        return new Movements(siteId, store.movements(siteId));
    }
}
