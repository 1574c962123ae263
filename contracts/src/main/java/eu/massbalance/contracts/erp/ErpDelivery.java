package eu.massbalance.contracts.erp;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A delivery as a depot ERP system sends it, over REST ({@code POST /api/v1/sites/{siteId}/deliveries},
 * where the path names the site) or on topic {@code massbalance.erp-deliveries.v1} (where
 * {@code siteId} is in the payload, or else the record key). Field names are the v1 contract. An
 * outbound with a {@code destinationSiteId} is a transfer to another site of the same organisation.
 */
public record ErpDelivery(
        String siteId,
        String deliveryId,
        Direction direction,
        OffsetDateTime occurredAt,
        String product,
        QuantityInput quantity,
        String supplierId,
        String transportDocument,
        String customerId,
        String useArea,
        Boolean taxLiability,
        List<Line> sustainable,
        Measure density,
        Measure lowerHeatingValue,
        String destinationSiteId) {

    /** A delivery that is not a transfer. */
    public ErpDelivery(String siteId, String deliveryId, Direction direction, OffsetDateTime occurredAt, String product,
                       QuantityInput quantity, String supplierId, String transportDocument, String customerId, String useArea,
                       Boolean taxLiability, List<Line> sustainable, Measure density, Measure lowerHeatingValue) {
        this(siteId, deliveryId, direction, occurredAt, product, quantity, supplierId, transportDocument, customerId, useArea,
                taxLiability, sustainable, density, lowerHeatingValue, null);
    }

    public enum Direction { INBOUND, OUTBOUND }

    /** The unit as sent; it is checked against the known units, not trusted. */
    public record QuantityInput(BigDecimal amount, String unit) {
    }

    /** Inbound: a batch received with its characteristics. Outbound: a sustainable claim, naming a batch or not. */
    public record Line(String batchId, BigDecimal amount, Characteristics characteristics) {
    }

    public ErpDelivery withSiteId(String site) {
        return new ErpDelivery(site, deliveryId, direction, occurredAt, product, quantity, supplierId, transportDocument,
                customerId, useArea, taxLiability, sustainable, density, lowerHeatingValue, destinationSiteId);
    }
}
