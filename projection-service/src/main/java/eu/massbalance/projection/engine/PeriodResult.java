package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Unit;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A period's balance per product or mixture and per batch. {@code claimed}
 * is what outbounds asked for as sustainable, {@code out} what was drawn from batches,
 * {@code uncovered} = claimed − out at close (never carried), {@code disqualified} what stopped
 * being sustainable on hand because its supplier's certificate was revoked, and
 * {@code closing} = opening + in − out + mergedIn − mergedOut − disqualified.
 */
public record PeriodResult(String siteId, YearMonth periodId, Status status, List<ProductBalance> products) {

    public enum Status { OPEN, CLOSED }

    public record ProductBalance(String product, Unit unit, BigDecimal opening, BigDecimal in, BigDecimal out,
                                 BigDecimal claimed, BigDecimal uncovered, BigDecimal open, BigDecimal disqualified,
                                 BigDecimal closing, BigDecimal nonSustainableIn, BigDecimal nonSustainableOut,
                                 BigDecimal pending, List<String> uncoveredDeliveries, List<BatchBalance> batches) {
    }

    /** {@code mergedIn}/{@code mergedOut}: quantity moved by an R-05 merge. */
    public record BatchBalance(String batchId, String product, BigDecimal opening, BigDecimal in, BigDecimal out,
                               BigDecimal mergedIn, BigDecimal mergedOut, BigDecimal disqualified, BigDecimal closing,
                               Characteristics characteristics) {
    }

    public ProductBalance product(String product) {
        return products.stream().filter(p -> p.product().equals(product)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No balance for " + product + " in " + periodId));
    }
}
