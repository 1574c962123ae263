package eu.massbalance.ledger.api;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.ledger.access.Callers;
import eu.massbalance.ledger.intake.SiteRegistry;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.problem.Rejection;
import eu.massbalance.ledger.store.Organisations;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * For the admin: the organisations (reporting companies) and which sites each ERP client of theirs
 * may post deliveries for. Who belongs to an organisation, and which organisations an auditor may
 * read, the identity provider says in the token (claims {@code org} and {@code orgs}).
 */
@Authenticated
@Path("/api/v1/organisations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "Organisations")
public class OrganisationResource {

    @Inject
    Callers callers;

    @Inject
    Organisations organisations;

    @Inject
    SiteRegistry sites;

    @Inject
    Clock clock;

    public record OrganisationRequest(String name) {
    }

    @GET
    @Operation(summary = "Every organisation (admin)")
    public List<Organisations.Organisation> all() {
        callers.require(Principal.ADMIN);
        return organisations.all();
    }

    @PUT
    @Path("{organisationId}")
    @Operation(summary = "Register or rename an organisation (admin)")
    public Response put(@PathParam("organisationId") String organisationId, OrganisationRequest body) {
        Principal admin = callers.require(Principal.ADMIN);
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.siteId("organisationId", organisationId, problems);
        if (body == null || body.name() == null || body.name().isBlank()) {
            problems.add(new FieldProblem("name", "REQUIRED", "name is required"));
        } else {
            Bounds.name("name", body.name(), problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        boolean created = organisations.put(organisationId, body.name(), admin.actor(), clock.instant());
        return Response.status(created ? 201 : 200).entity(new Organisations.Organisation(organisationId, body.name())).build();
    }

    @GET
    @Path("{organisationId}/erp-grants")
    @Operation(summary = "The sites each ERP client of an organisation may post for (admin)")
    public List<Organisations.Grant> grants(@PathParam("organisationId") String organisationId) {
        callers.require(Principal.ADMIN);
        return organisations.grants(organisationId);
    }

    @PUT
    @Path("{organisationId}/erp-clients/{clientId}/sites/{siteId}")
    @Operation(summary = "Let an ERP client post deliveries and reversals for one of the organisation's sites (admin)")
    public Response grant(@PathParam("organisationId") String organisationId, @PathParam("clientId") String clientId,
                          @PathParam("siteId") String siteId) {
        Principal admin = callers.require(Principal.ADMIN);
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.identifier("clientId", clientId, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        sites.require(siteId);
        if (!organisationId.equals(sites.organisationOf(siteId).orElse(null))) {
            throw new Rejection(Rejection.Kind.CONFLICT, "SITE_OF_ANOTHER_ORGANISATION",
                    "Site " + siteId + " does not belong to organisation " + organisationId);
        }
        organisations.grant(clientId, siteId, organisationId, admin.actor(), clock.instant());
        return Response.ok(new Organisations.Grant(clientId, siteId, organisationId)).build();
    }

    @DELETE
    @Path("{organisationId}/erp-clients/{clientId}/sites/{siteId}")
    @Operation(summary = "Withdraw an ERP client's grant for a site (admin)")
    public Response revoke(@PathParam("organisationId") String organisationId, @PathParam("clientId") String clientId,
                           @PathParam("siteId") String siteId) {
        callers.require(Principal.ADMIN);
        return organisations.revoke(clientId, siteId) ? Response.noContent().build()
                : Response.status(404).type(Problem.MEDIA_TYPE).entity(new Problem(ProblemMappers.TYPE + "grant-unknown", "Not found",
                404, "No such grant", null, "GRANT_UNKNOWN", List.of())).build();
    }
}
