package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A physical delivery out of the site. {@code sustainable} is the sustainable part claimed,
 * drawn from the batches it names or FIFO; the rest is non-sustainable. With a
 * {@code destinationSiteId} it is a transfer to another site of the same organisation: what it
 * draws travels, batch by batch with its characteristics, into the destination's log.
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
        String recordedBy,
        String destinationSiteId) implements LedgerEvent {

    public OutboundDelivery(String siteId, String deliveryId, OffsetDateTime occurredAt, String product, Quantity quantity,
                            String customerId, String useArea, Boolean taxLiability, List<BatchLine> sustainable, Measure density,
                            Measure lowerHeatingValue) {
        this(siteId, deliveryId, occurredAt, product, quantity, customerId, useArea, taxLiability, sustainable, density,
                lowerHeatingValue, null, null);
    }

    public OutboundDelivery(String siteId, String deliveryId, OffsetDateTime occurredAt, String product, Quantity quantity,
                            String customerId, String useArea, Boolean taxLiability, List<BatchLine> sustainable, Measure density,
                            Measure lowerHeatingValue, String recordedBy) {
        this(siteId, deliveryId, occurredAt, product, quantity, customerId, useArea, taxLiability, sustainable, density,
                lowerHeatingValue, recordedBy, null);
    }

    /** Whether this outbound moves its material to another site of the organisation. */
    public boolean movesToAnotherSite() {
        return destinationSiteId != null;
    }

    /** The same delivery, as posted by {@code actor} (who ledger-service authenticated). */
    public OutboundDelivery withRecordedBy(String actor) {
        return new OutboundDelivery(siteId, deliveryId, occurredAt, product, quantity, customerId, useArea, taxLiability,
                sustainable, density, lowerHeatingValue, actor, destinationSiteId);
    }

    public OutboundDelivery {
        sustainable = sustainable == null ? List.of() : List.copyOf(sustainable);
    }
}
