package eu.massbalance.ledger.api;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.CertificateRevoked;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.access.SiteAccess;
import eu.massbalance.ledger.intake.SiteRegistry;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Authenticated
@Path("/api/v1/suppliers/{supplierId}/certificates/{certificateId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "Certificates", description = "Suppliers' certificates and sustainability decisions (R-16)")
public class CertificateResource {

    @Inject
    SiteAccess access;

    @Inject
    SiteRegistry registry;

    public record CertificateRequest(String scheme, LocalDate validFrom, LocalDate validTo, List<String> products) {
    }

    public record RevocationRequest(LocalDate effectiveFrom, String reason) {
    }

    public record Recorded(String supplierId, String certificateId, String status) {
    }

    @PUT
    @Operation(summary = "Register or change a supplier certificate",
            description = "By a compliance officer, for the organisation's own supplier; appended to the logs of the"
                    + " organisation's sites only. An empty product list covers every product. Inbound sustainable "
                    + "quantity from a supplier without a valid certificate on the delivery date is a MAJOR deviation.")
    public Response put(@PathParam("supplierId") String supplierId, @PathParam("certificateId") String certificateId,
                        CertificateRequest r) {
        String organisation = access.officer().organisation();
        List<FieldProblem> problems = new ArrayList<>();
        if (r == null || r.validFrom() == null) {
            problems.add(new FieldProblem("validFrom", "REQUIRED", "validFrom (YYYY-MM-DD) is required"));
        } else if (r.validTo() != null && r.validTo().isBefore(r.validFrom())) {
            problems.add(new FieldProblem("validTo", "BEFORE_VALID_FROM", "validTo is before validFrom"));
        }
        if (r == null || r.scheme() == null || r.scheme().isBlank()) {
            problems.add(new FieldProblem("scheme", "REQUIRED", "scheme (voluntary scheme or national decision) is required"));
        }
        if (r != null) {
            // the certificate goes to every site's log, now and when a site is registered later: bounded here, once
            Bounds.name("scheme", r.scheme(), problems);
            Bounds.date("validFrom", r.validFrom(), problems);
            Bounds.date("validTo", r.validTo(), problems);
            Bounds.listSize("products", r.products(), 100, problems);
            if (r.products() != null && r.products().size() <= 100) {
                for (int i = 0; i < r.products().size(); i++) {
                    Bounds.identifier("products[" + i + "]", r.products().get(i), problems);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        registry.registerCertificate(organisation, new CertificateRegistered(null, supplierId, certificateId, r.scheme(), r.validFrom(),
                r.validTo(), r.products(), access.officer().actor()));
        return Response.ok(new Recorded(supplierId, certificateId, "REGISTERED")).build();
    }

    @POST
    @Path("revocation")
    @Operation(summary = "Revoke a certificate from a date on", description = "Appended to the logs of the organisation's"
            + " sites. Deliveries already booked from the supplier after that date raise a MAJOR deviation (R-16).")
    public Response revoke(@PathParam("supplierId") String supplierId, @PathParam("certificateId") String certificateId,
                           RevocationRequest r) {
        String organisation = access.officer().organisation();
        if (r == null || r.effectiveFrom() == null) {
            throw new InvalidInput("effectiveFrom", "REQUIRED", "effectiveFrom (YYYY-MM-DD) is required");
        }
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.date("effectiveFrom", r.effectiveFrom(), problems);
        Bounds.text("reason", r.reason(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        registry.revokeCertificate(organisation, new CertificateRevoked(null, supplierId, certificateId, r.effectiveFrom(), r.reason(),
                access.officer().actor()));
        return Response.ok(new Recorded(supplierId, certificateId, "REVOKED")).build();
    }
}
