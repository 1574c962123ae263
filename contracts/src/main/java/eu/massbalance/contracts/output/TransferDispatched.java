package eu.massbalance.contracts.output;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.event.BatchLine;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A transfer the source site's engine booked, on topic {@code massbalance.transfers.v1} keyed by
 * the destination site: the portions it drew, each with its batch id and complete characteristics,
 * in the product's accounting unit at the source. {@code sequence} is the source event's place in
 * the source's log. ledger-service turns it into a {@code TransferInTransit} on the destination's log.
 */
public record TransferDispatched(
        String sourceSiteId,
        String deliveryId,
        long sequence,
        String destinationSiteId,
        OffsetDateTime dispatchedAt,
        String product,
        Quantity quantity,
        List<BatchLine> batches) {

    public TransferDispatched {
        batches = batches == null ? List.of() : List.copyOf(batches);
    }
}
