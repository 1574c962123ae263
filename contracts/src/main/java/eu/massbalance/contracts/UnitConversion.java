package eu.massbalance.contracts;

import eu.massbalance.contracts.Unit.Dimension;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Converts a delivered quantity to the product's accounting unit. Within one dimension by the
 * units' fixed factors; across dimensions only with an explicit density (mass per volume) or
 * lower heating value (energy per volume or mass), from the event or the site's configuration.
 */
public final class UnitConversion {

    /** The quantity cannot be converted; {@code code} is UNIT_CONVERSION_MISSING or UNIT_CONVERSION_INVALID. */
    public static final class NotConvertible extends RuntimeException {
        private final String code;

        NotConvertible(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }


    /** Results of a division are kept to 9 decimals, the precision of the read models. */
    private static final int SCALE = 9;

    private UnitConversion() {
    }

    /** Returns the factor that multiplies an amount in {@code from} into {@code to}. */
    public static BigDecimal factor(Unit from, Unit to, Measure density, Measure lowerHeatingValue) {
        if (from == to) {
            return BigDecimal.ONE;
        }
        if (from.dimension() == to.dimension()) {
            return from.toBase().divide(to.toBase(), MathContext.DECIMAL128);
        }
        Measure bridge = needsHeatingValue(from, to) ? lowerHeatingValue : density;
        String kind = needsHeatingValue(from, to) ? "lower heating value" : "density";
        if (bridge == null) {
            throw new NotConvertible("UNIT_CONVERSION_MISSING", "Converting " + from + " to " + to + " needs a " + kind
                    + " on the delivery or the site's product configuration");
        }
        Ratio ratio = Ratio.parse(bridge.unit())
                .filter(r -> (r.numerator.dimension() == from.dimension() && r.denominator.dimension() == to.dimension())
                        || (r.numerator.dimension() == to.dimension() && r.denominator.dimension() == from.dimension()))
                .orElseThrow(() -> new NotConvertible("UNIT_CONVERSION_MISSING", "A " + kind + " in " + bridge.unit()
                        + " cannot convert " + from + " to " + to));
        if (bridge.amount().signum() <= 0) {
            throw new NotConvertible("UNIT_CONVERSION_INVALID", "The " + kind + " must be positive");
        }
        // value in base-numerator per base-denominator, e.g. t per m3 or MJ per m3
        BigDecimal perBase = bridge.amount().multiply(ratio.numerator.toBase())
                .divide(ratio.denominator.toBase(), MathContext.DECIMAL128);
        BigDecimal inBase = ratio.denominator.dimension() == from.dimension()
                ? perBase
                : BigDecimal.ONE.divide(perBase, MathContext.DECIMAL128);
        return from.toBase().multiply(inBase).divide(to.toBase(), MathContext.DECIMAL128);
    }

    public static BigDecimal convert(BigDecimal amount, BigDecimal factor) {
        if (factor.compareTo(BigDecimal.ONE) == 0) {
            return amount;
        }
        BigDecimal converted = amount.multiply(factor, MathContext.DECIMAL128);
        return converted.scale() > SCALE ? converted.setScale(SCALE, RoundingMode.HALF_EVEN) : converted;
    }

    private static boolean needsHeatingValue(Unit from, Unit to) {
        return from.dimension() == Dimension.ENERGY || to.dimension() == Dimension.ENERGY;
    }

    private record Ratio(Unit numerator, Unit denominator) {
        static Optional<Ratio> parse(String unit) {
            int slash = unit.indexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            Optional<Unit> numerator = Unit.fromSymbol(unit.substring(0, slash).trim());
            Optional<Unit> denominator = Unit.fromSymbol(unit.substring(slash + 1).trim());
            return numerator.isPresent() && denominator.isPresent()
                    ? Optional.of(new Ratio(numerator.get(), denominator.get()))
                    : Optional.empty();
        }
    }
}
