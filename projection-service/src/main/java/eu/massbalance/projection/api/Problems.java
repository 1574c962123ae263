package eu.massbalance.projection.api;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every error of the read API leaves as application/problem+json (RFC 7807) without internals,
 * and every path and query parameter is a bounded, printable identifier before any resource sees it.
 */
public class Problems {

    static final String TYPE = "https://massbalance.eu/problems/";
    static final String MEDIA_TYPE = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(Problems.class);

    @ServerRequestFilter
    public Optional<Response> checkPathParameters(ContainerRequestContext request) {
        List<FieldProblem> problems = new ArrayList<>();
        request.getUriInfo().getPathParameters()
                .forEach((name, values) -> values.forEach(value -> Bounds.pathParameter(name, value, problems)));
        request.getUriInfo().getQueryParameters()
                .forEach((name, values) -> values.forEach(value -> Bounds.optionalIdentifier(name, value, problems)));
        return problems.isEmpty() ? Optional.empty()
                : Optional.of(problem(400, "VALIDATION_FAILED", "A path parameter is invalid", problems, request.getUriInfo()));
    }

    @ServerExceptionMapper
    public Response denied(Access.Denied e, UriInfo uri) {
        return problem(403, e.code, e.getMessage(), List.of(), uri);
    }

    /** No token, or one that is not valid: the caller must sign in at the identity provider. */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class, io.quarkus.security.AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(problem(401, "AUTHENTICATION_REQUIRED",
                "Send a valid bearer token from the identity provider: Authorization: Bearer <access token>", List.of(), uri))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return problem(403, "ROLE_MISSING", "The token does not carry a role this endpoint needs", List.of(), uri);
    }

    /** Something the caller named that the site's books do not hold: 404 with a code the caller can act on. */
    public static final class Unknown extends RuntimeException {
        final String code;

        public Unknown(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    @ServerExceptionMapper
    public Response unknown(Unknown e, UriInfo uri) {
        return problem(404, e.code, e.getMessage(), List.of(), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        // our own messages say what is missing or wrong; the framework's may name Java types
        String detail = e.getMessage() != null && !e.getMessage().startsWith("HTTP ") && !e.getMessage().contains("java.")
                ? e.getMessage() : e.getResponse().getStatusInfo().getReasonPhrase();
        return problem(status, "HTTP_" + status, detail, List.of(), uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Request to %s failed (incident %s)", uri == null ? "?" : uri.getPath(), incident);
        return problem(500, "INTERNAL_ERROR", "The request could not be completed; it was logged as incident " + incident,
                List.of(), uri);
    }

    static Response problem(int status, String code, String detail, List<FieldProblem> errors, UriInfo uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE + code.toLowerCase().replace('_', '-'));
        body.put("title", Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", uri == null ? null : uri.getPath());
        body.put("code", code);
        body.put("errors", errors);
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }
}
