package eu.massbalance.ledger.api;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every path parameter of every endpoint is a bounded, printable identifier before any resource sees it. */
public class PathParameters {

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        List<FieldProblem> problems = new ArrayList<>();
        request.getUriInfo().getPathParameters().forEach((name, values) -> values.forEach(value -> Bounds.pathParameter(name, value, problems)));
        return problems.isEmpty() ? Optional.empty()
                : Optional.of(ProblemMappers.problem(400, "validation", "The request is invalid", "A path parameter is invalid",
                        "VALIDATION_FAILED", problems, request.getUriInfo()));
    }
}
