package eu.massbalance.contracts.output;

import eu.massbalance.contracts.Characteristics;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A closed period's balance per product and batch, on topic {@code massbalance.period-results.v1}.
 * {@code closing} = opening + in − out + mergedIn − mergedOut − disqualified, where
 * {@code disqualified} is what stopped being sustainable on hand when its supplier's certificate
 * was revoked after the fact.
 */
public record PeriodResultNotice(String siteId, YearMonth periodId, long sequence, List<Product> products) {

    public record Product(String product, String unit, BigDecimal opening, BigDecimal in, BigDecimal out,
                          BigDecimal claimed, BigDecimal uncovered, BigDecimal disqualified, BigDecimal closing, BigDecimal nonSustainableIn,
                          BigDecimal nonSustainableOut, List<String> uncoveredDeliveries, List<Batch> batches) {
    }

    public record Batch(String batchId, String product, BigDecimal opening, BigDecimal in, BigDecimal out,
                        BigDecimal mergedIn, BigDecimal mergedOut, BigDecimal disqualified, BigDecimal closing, Characteristics characteristics) {
    }
}
