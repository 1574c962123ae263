package eu.massbalance.projection.evidence;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The public key that signs period statements, at a well-known address. */
@Path("/.well-known/massbalance")
public class StatementKeysResource {

    @Inject
    StatementKey key;

    @GET
    @Path("statement-keys.json")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public key that signs period statements, as a JWK Set", description = "Public by design: "
            + "anyone holding a statement may check it.")
    public Response keys() {
        if (!key.configured()) {
            return StatementResource.problem(503, "NO_STATEMENT_KEY", "No signing key is configured (MASSBALANCE_STATEMENT_KEY)");
        }
        return Response.ok(key.jwks()).build();
    }

}
