package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Quantity;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * At the destination of a transfer: material another site of the organisation dispatched to this
 * one, on its way. {@code batches} are exactly the portions the source drew, each with its
 * batch id and complete characteristics, in the source's accounting unit of the product;
 * {@code quantity} is the whole physical quantity dispatched. It is in neither site's stock until
 * the destination confirms receipt ({@link TransferReceived}). Appended by ledger-service from the
 * source's dispatch notice; {@code transferId} is {@code <sourceSiteId>:<deliveryId>}.
 */
public record TransferInTransit(
        String siteId,
        String transferId,
        String sourceSiteId,
        String sourceDeliveryId,
        OffsetDateTime dispatchedAt,
        String product,
        Quantity quantity,
        List<BatchLine> batches,
        String recordedBy) implements LedgerEvent {

    public TransferInTransit {
        batches = batches == null ? List.of() : List.copyOf(batches);
    }

    /** The id a transfer has at its destination. */
    public static String transferId(String sourceSiteId, String deliveryId) {
        return sourceSiteId + ":" + deliveryId;
    }
}
