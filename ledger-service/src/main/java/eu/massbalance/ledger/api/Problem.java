package eu.massbalance.ledger.api;

import eu.massbalance.contracts.FieldProblem;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 7807 problem details, with the field-level problems of the request. */
@Schema(name = "Problem", description = "RFC 7807 problem details (application/problem+json)")
public record Problem(
        @Schema(example = "https://massbalance.eu/problems/validation") String type,
        @Schema(example = "The request is invalid") String title,
        @Schema(example = "400") int status,
        String detail,
        String instance,
        @Schema(description = "Stable machine-readable code", example = "VALIDATION_FAILED") String code,
        @Schema(description = "Every problem found, by field path") List<FieldProblem> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
