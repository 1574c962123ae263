package eu.massbalance.contracts;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;

/**
 * Units a physical quantity can be given in. Within one dimension a unit converts by a fixed
 * factor; across dimensions (volume to mass, volume or mass to energy, a gas's normal volume to
 * energy or mass) only with an explicit density or lower heating value.
 */
public enum Unit {
    M3("m3", Dimension.VOLUME, "1"),
    LITRE("l", Dimension.VOLUME, "0.001"),
    TONNE("t", Dimension.MASS, "1"),
    KG("kg", Dimension.MASS, "0.001"),
    MJ("MJ", Dimension.ENERGY, "1"),
    GJ("GJ", Dimension.ENERGY, "1000"),
    KWH("kWh", Dimension.ENERGY, "3.6"),
    MWH("MWh", Dimension.ENERGY, "3600"),
    /**
     * A normal cubic metre of gas (0 °C, 101.325 kPa): its own dimension, since a gas's volume says
     * nothing without its conditions. It converts to energy only with a heating value per Nm3 and to
     * mass only with a density per Nm3, both given; never to m3.
     */
    NM3("Nm3", Dimension.NORMAL_GAS_VOLUME, "1");

    public enum Dimension { VOLUME, MASS, ENERGY, NORMAL_GAS_VOLUME }

    private final String symbol;
    private final Dimension dimension;
    private final BigDecimal toBase;

    Unit(String symbol, Dimension dimension, String toBase) {
        this.symbol = symbol;
        this.dimension = dimension;
        this.toBase = new BigDecimal(toBase);
    }

    public String symbol() {
        return symbol;
    }

    public Dimension dimension() {
        return dimension;
    }

    /** How many of this dimension's base unit (m3, t, MJ) one of this unit is. */
    public BigDecimal toBase() {
        return toBase;
    }

    public static Optional<Unit> fromSymbol(String symbol) {
        return Arrays.stream(values()).filter(u -> u.symbol.equals(symbol)).findFirst();
    }

    @Override
    public String toString() {
        return symbol;
    }
}
