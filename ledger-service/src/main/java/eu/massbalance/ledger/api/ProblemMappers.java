package eu.massbalance.ledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.json.JsonProblems;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.problem.Rejection;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as application/problem+json with its field-level problems. */
public class ProblemMappers {

    static final String TYPE = "https://massbalance.eu/problems/";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidInput e, UriInfo uri) {
        return problem(400, "validation", "The request is invalid", e.problems().size() + " problem(s) found",
                "VALIDATION_FAILED", e.problems(), uri);
    }

    @ServerExceptionMapper
    public Response rejected(Rejection e, UriInfo uri) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
        };
        String title = switch (e.kind()) {
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case FORBIDDEN -> "Forbidden";
        };
        return problem(status, e.code().toLowerCase().replace('_', '-'), title, e.getMessage(), e.code(), List.of(), uri);
    }

    /** No token, or one that is not valid: the caller must sign in at the identity provider. */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class,
        io.quarkus.security.AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(problem(401, "authentication-required", "Authentication required",
                "Send a valid bearer token from the identity provider: Authorization: Bearer <access token>",
                "AUTHENTICATION_REQUIRED", List.of(), uri)).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return problem(403, "role-missing", "Forbidden", "The token does not carry a role this endpoint needs",
                "ROLE_MISSING", List.of(), uri);
    }

    /** A value of the wrong type or an unknown enum constant. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unparsable(com.fasterxml.jackson.core.JsonParseException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    /** A body that is not valid JSON or has a value of the wrong type. */
    @ServerExceptionMapper(priority = 1)
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return problem(400, "malformed", "The request body cannot be read", "The body is not the expected JSON",
                "MALFORMED_BODY", List.of(jsonProblem(e)), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        int status = e.getResponse().getStatus();
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        // the framework's messages can name Java types and methods: the status says enough
        return problem(status, "http-" + status, reason, status == 404 ? "No such resource" : reason,
                "HTTP_" + status, List.of(), uri);
    }

    /** Anything else is our fault: logged in full, answered without internals. */
    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Request to %s failed (incident %s)", uri == null ? "?" : uri.getPath(), incident);
        return problem(500, "internal", "Internal error", "The request could not be completed; it was logged as incident "
                + incident, "INTERNAL_ERROR", List.of(), uri);
    }

    static FieldProblem jsonProblem(JsonProcessingException e) {
        return JsonProblems.of(e);
    }

    static Response problem(int status, String type, String title, String detail, String code, List<FieldProblem> errors,
                            UriInfo uri) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE + type, title, status, detail, uri == null ? null : uri.getPath(), code, errors))
                .build();
    }
}
