package eu.massbalance.contracts.event;

import java.util.List;

/**
 * The one merge allowed: batches that differ only in their transport emissions, from
 * the same country of origin, become one batch carrying the highest transport emission.
 */
public record BatchesMerged(
        String siteId,
        String product,
        List<String> sourceBatchIds,
        String targetBatchId,
        String reason,
        String requestedBy) implements LedgerEvent {

    public BatchesMerged {
        sourceBatchIds = sourceBatchIds == null ? List.of() : List.copyOf(sourceBatchIds);
    }
}
