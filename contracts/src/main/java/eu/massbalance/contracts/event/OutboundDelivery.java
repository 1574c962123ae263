package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A physical delivery out of the site. {@code sustainable} is the sustainable part claimed,
 * drawn from the batches it names or FIFO; the rest is non-sustainable.
 */
public record OutboundDelivery(
        String siteId,
        String deliveryId,
        OffsetDateTime occurredAt,
        String product,
        Quantity quantity,
        String customerId,
        String useArea,
        Boolean taxLiability,
        List<BatchLine> sustainable,
        Measure density,
        Measure lowerHeatingValue) implements LedgerEvent {

    public OutboundDelivery {
        sustainable = sustainable == null ? List.of() : List.copyOf(sustainable);
    }
}
