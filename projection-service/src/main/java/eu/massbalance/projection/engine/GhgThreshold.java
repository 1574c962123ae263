package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/**
 * a batch booked as sustainable must save at least 50 % (installation in operation on or
 * before 2015-10-05) or 60 % (after) of the fossil comparator's emissions. Without a start date
 * the stricter 60 % applies. Emissions not given per MJ (a raw-material stage, say) cannot be
 * compared and are not checked here.
 */
final class GhgThreshold {

    /** gCO2e/MJ, transport, under the directive the guidance implements. */
    static final BigDecimal FOSSIL_COMPARATOR = new BigDecimal("83.8");
    static final LocalDate OLD_INSTALLATION_CUTOFF = LocalDate.of(2015, 10, 5);
    static final String UNIT = "gCO2e/MJ";

    private GhgThreshold() {
    }

    /** The reason a batch fails, if it does. */
    static Optional<String> failure(Characteristics characteristics) {
        Optional<Measure> ghg = characteristics.measure("ghgEmissions").filter(m -> UNIT.equals(m.unit()));
        if (ghg.isEmpty()) {
            return Optional.empty();
        }
        boolean old = characteristics.date("installationStart").map(d -> !d.isAfter(OLD_INSTALLATION_CUTOFF)).orElse(false);
        BigDecimal required = old ? new BigDecimal("0.50") : new BigDecimal("0.60");
        BigDecimal ceiling = FOSSIL_COMPARATOR.multiply(BigDecimal.ONE.subtract(required));
        BigDecimal emissions = ghg.get().amount();
        if (emissions.compareTo(ceiling) <= 0) {
            return Optional.empty();
        }
        return Optional.of("GHG emissions " + emissions.toPlainString() + " " + UNIT + " save less than "
                + required.movePointRight(2).stripTrailingZeros().toPlainString() + " % against the fossil comparator "
                + FOSSIL_COMPARATOR + " (at most " + ceiling.stripTrailingZeros().toPlainString() + " allowed)");
    }
}
