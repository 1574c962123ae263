package eu.massbalance.ledger.api;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** A delivery as an ERP system posts it (design.md §6). Validated by {@code DeliveryValidator}. */
public record DeliveryRequest(
        String deliveryId,
        String direction,
        OffsetDateTime occurredAt,
        String product,
        QuantityDto quantity,
        String supplierId,
        String transportDocument,
        String customerId,
        String useArea,
        Boolean taxLiability,
        List<LineDto> sustainable,
        Measure density,
        Measure lowerHeatingValue) {

    public record QuantityDto(BigDecimal amount, String unit) {
    }

    public record LineDto(String batchId, BigDecimal amount, Characteristics characteristics) {
    }
}
