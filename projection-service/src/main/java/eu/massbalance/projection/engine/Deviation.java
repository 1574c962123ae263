package eu.massbalance.projection.engine;

import eu.massbalance.contracts.event.DeviationClass;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.stream.Stream;

/**
 * A deviation with its lifecycle OPEN → ACTION_PLANNED → CLOSED. {@code batches}
 * names the quantities concerned batch by batch where the rule is about batches (a revocation).
 */
public record Deviation(String deviationId, String siteId, YearMonth periodId, Rule rule, DeviationClass deviationClass,
                        DeviationClass upgradedFrom, Status status, BigDecimal quantity, String unit,
                        List<String> deliveries, List<Affected> batches, String message, LocalDate occurredOn,
                        String actionPlan, String resolution, List<String> history) {

    public enum Status { OPEN, ACTION_PLANNED, CLOSED }

    public enum Rule {
        NEGATIVE_BALANCE_AT_PERIOD_END(DeviationClass.MINOR),
        OVERDRAFT(DeviationClass.MINOR),
        SUPPLIER_NOT_COVERED(DeviationClass.MAJOR),
        TRANSPORT_DOCUMENT_MISSING(DeviationClass.OBSERVATION),
        LATE_POSTING(DeviationClass.OBSERVATION),
        STOCK_COUNT_DIFFERENCE(DeviationClass.OBSERVATION),
        TRANSFER_DIFFERENCE(DeviationClass.OBSERVATION);

        private final DeviationClass defaultClass;

        Rule(DeviationClass defaultClass) {
            this.defaultClass = defaultClass;
        }

        public DeviationClass defaultClass() {
            return defaultClass;
        }
    }

    /** A quantity of one batch received by one delivery that the deviation concerns. */
    public record Affected(String deliveryId, String batchId, BigDecimal quantity) {
    }

    Deviation withClass(DeviationClass newClass, String note) {
        return new Deviation(deviationId, siteId, periodId, rule, newClass, upgradedFrom, status, quantity, unit,
                deliveries, batches, message, occurredOn, actionPlan, resolution, append(note));
    }

    Deviation withActionPlan(String plan, String note) {
        return new Deviation(deviationId, siteId, periodId, rule, deviationClass, upgradedFrom, Status.ACTION_PLANNED,
                quantity, unit, deliveries, batches, message, occurredOn, plan, resolution, append(note));
    }

    Deviation closed(String resolutionText, String note) {
        return new Deviation(deviationId, siteId, periodId, rule, deviationClass, upgradedFrom, Status.CLOSED, quantity,
                unit, deliveries, batches, message, occurredOn, actionPlan, resolutionText, append(note));
    }

    private List<String> append(String note) {
        return Stream.concat(history.stream(), Stream.of(note)).toList();
    }
}
