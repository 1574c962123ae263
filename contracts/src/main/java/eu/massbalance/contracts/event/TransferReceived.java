package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Quantity;
import java.time.OffsetDateTime;

/**
 * The destination confirms a transfer's receipt: {@code received} is the quantity measured on
 * arrival, {@code occurredAt} the receipt's date, which decides its period at the destination.
 */
public record TransferReceived(
        String siteId,
        String transferId,
        OffsetDateTime occurredAt,
        Quantity received,
        String transportDocument,
        String recordedBy) implements LedgerEvent {
}
