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
        Measure lowerHeatingValue,
        String recordedBy) implements LedgerEvent {

    public OutboundDelivery(String siteId, String deliveryId, OffsetDateTime occurredAt, String product, Quantity quantity,
                            String customerId, String useArea, Boolean taxLiability, List<BatchLine> sustainable, Measure density,
                            Measure lowerHeatingValue) {
        this(siteId, deliveryId, occurredAt, product, quantity, customerId, useArea, taxLiability, sustainable, density,
                lowerHeatingValue, null);
    }

    /** The same delivery, as posted by {@code actor} (who ledger-service authenticated). */
    public OutboundDelivery withRecordedBy(String actor) {
        return new OutboundDelivery(siteId, deliveryId, occurredAt, product, quantity, customerId, useArea, taxLiability,
                sustainable, density, lowerHeatingValue, actor);
    }

    public OutboundDelivery {
        sustainable = sustainable == null ? List.of() : List.copyOf(sustainable);
    }
}
