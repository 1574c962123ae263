package eu.massbalance.contracts.output;

import eu.massbalance.contracts.FieldProblem;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An ERP record that was not accepted, on topic {@code massbalance.rejected.v1}: the original
 * payload exactly as received, where it came from, and every problem found.
 */
public record RejectedRecord(
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String key,
        String payload,
        String reason,
        List<FieldProblem> problems,
        OffsetDateTime rejectedAt) {
}
