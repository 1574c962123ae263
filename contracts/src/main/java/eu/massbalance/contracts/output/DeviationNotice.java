package eu.massbalance.contracts.output;

import eu.massbalance.contracts.event.DeviationClass;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/** A deviation as raised or changed, on topic {@code massbalance.deviations.v1} (R-16..R-18). */
public record DeviationNotice(
        String deviationId,
        String siteId,
        YearMonth periodId,
        String rule,
        DeviationClass deviationClass,
        DeviationClass upgradedFrom,
        String status,
        BigDecimal quantity,
        String unit,
        List<String> deliveries,
        List<Affected> batches,
        String message,
        LocalDate occurredOn,
        String actionPlan,
        String resolution,
        long sequence) {

    /** A quantity of one batch received by one delivery that the deviation concerns (a revocation after the fact). */
    public record Affected(String deliveryId, String batchId, BigDecimal quantity) {
    }

    public DeviationNotice {
        batches = batches == null ? List.of() : List.copyOf(batches);
    }
}
