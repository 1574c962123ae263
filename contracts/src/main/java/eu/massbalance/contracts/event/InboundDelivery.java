package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A physical delivery into the site. {@code quantity} is the whole physical quantity;
 * {@code sustainable} lists the sustainable batches within it; the rest is
 * non-sustainable. Batch amounts are in the unit of {@code quantity}. A density or lower
 * heating value, when given, converts to the product's accounting unit. {@code recordedBy} is who
 * posted it, as ledger-service authenticated them (null on events from before).
 */
public record InboundDelivery(
        String siteId,
        String deliveryId,
        OffsetDateTime occurredAt,
        String product,
        Quantity quantity,
        String supplierId,
        String transportDocument,
        List<BatchLine> sustainable,
        Measure density,
        Measure lowerHeatingValue,
        String recordedBy) implements LedgerEvent {

    public InboundDelivery {
        sustainable = sustainable == null ? List.of() : List.copyOf(sustainable);
    }

    public InboundDelivery(String siteId, String deliveryId, OffsetDateTime occurredAt, String product, Quantity quantity,
                           String supplierId, String transportDocument, List<BatchLine> sustainable, Measure density,
                           Measure lowerHeatingValue) {
        this(siteId, deliveryId, occurredAt, product, quantity, supplierId, transportDocument, sustainable, density,
                lowerHeatingValue, null);
    }

    public InboundDelivery withRecordedBy(String actor) {
        return new InboundDelivery(siteId, deliveryId, occurredAt, product, quantity, supplierId, transportDocument, sustainable,
                density, lowerHeatingValue, actor);
    }
}
