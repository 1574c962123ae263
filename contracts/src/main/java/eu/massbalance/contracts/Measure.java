package eu.massbalance.contracts;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A measured value with a free-form unit, such as a lower heating value in MJ/l or GHG
 * emissions in gCO2e/MJ. The amount is kept with trailing zeros stripped so that two
 * measures that are equal in value are equal as records (R-01: identical characteristics).
 */
public record Measure(BigDecimal amount, String unit) {

    public Measure {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(unit, "unit");
        amount = amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
    }

    public static Measure of(String amount, String unit) {
        return new Measure(new BigDecimal(amount), unit);
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + unit;
    }
}
