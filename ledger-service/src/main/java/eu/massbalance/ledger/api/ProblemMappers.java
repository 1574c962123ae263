package eu.massbalance.ledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.ledger.intake.InvalidInput;
import eu.massbalance.ledger.intake.Rejection;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as application/problem+json with its field-level problems. */
public class ProblemMappers {

    static final String TYPE = "https://massbalance.eu/problems/";

    @ServerExceptionMapper
    public Response invalid(InvalidInput e, UriInfo uri) {
        return problem(400, "validation", "The request is invalid", e.problems().size() + " problem(s) found",
                "VALIDATION_FAILED", e.problems(), uri);
    }

    @ServerExceptionMapper
    public Response rejected(Rejection e, UriInfo uri) {
        int status = e.kind() == Rejection.Kind.NOT_FOUND ? 404 : 409;
        return problem(status, e.code().toLowerCase().replace('_', '-'), e.kind() == Rejection.Kind.NOT_FOUND ? "Not found" : "Conflict",
                e.getMessage(), e.code(), List.of(), uri);
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
        return problem(status, "http-" + status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(),
                "HTTP_" + status, List.of(), uri);
    }

    static FieldProblem jsonProblem(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        String code = e instanceof JsonMappingException ? "TYPE_MISMATCH" : "JSON_MALFORMED";
        return new FieldProblem(path, code, e.getOriginalMessage());
    }

    static Response problem(int status, String type, String title, String detail, String code, List<FieldProblem> errors,
                            UriInfo uri) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE + type, title, status, detail, uri == null ? null : uri.getPath(), code, errors))
                .build();
    }
}
