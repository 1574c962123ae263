package eu.massbalance.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Units convert by fixed factors within a dimension, and across dimensions only by a factor the delivery gives: never a guess. */
class UnitConversionTest {

    static void assertFactor(String expected, BigDecimal factor) {
        assertEquals(0, new BigDecimal(expected).compareTo(factor), () -> "expected " + expected + ", got " + factor.toPlainString());
    }

    @Test
    void within_a_dimension_by_the_units_fixed_factors() {
        assertFactor("1000", UnitConversion.factor(Unit.TONNE, Unit.KG, null, null));
        assertFactor("3.6", UnitConversion.factor(Unit.KWH, Unit.MJ, null, null));
        assertFactor("1000", UnitConversion.factor(Unit.MWH, Unit.KWH, null, null));
    }

    @Test
    void biogas_in_normal_cubic_metres_becomes_energy_by_its_heating_value_per_Nm3_and_mass_by_its_density() {
        // upgraded biogas: 9.97 kWh per Nm3, so 1 Nm3 is 0.00997 MWh
        assertFactor("0.00997", UnitConversion.factor(Unit.NM3, Unit.MWH, null, new Measure(new BigDecimal("9.97"), "kWh/Nm3")));
        assertFactor("35.892", UnitConversion.factor(Unit.NM3, Unit.MJ, null, new Measure(new BigDecimal("9.97"), "kWh/Nm3")));
        assertFactor("0.72", UnitConversion.factor(Unit.NM3, Unit.KG, new Measure(new BigDecimal("0.72"), "kg/Nm3"), null));
        // and back: 100 MWh at 100 kWh per Nm3 is 1,000 Nm3
        assertEquals(0, new BigDecimal("1000").compareTo(UnitConversion.convert(new BigDecimal("100"),
                UnitConversion.factor(Unit.MWH, Unit.NM3, null, new Measure(new BigDecimal("100"), "kWh/Nm3")))));
    }

    @Test
    void a_conversion_the_delivery_gives_no_factor_for_is_refused_never_guessed() {
        UnitConversion.NotConvertible missing = assertThrows(UnitConversion.NotConvertible.class,
                () -> UnitConversion.factor(Unit.NM3, Unit.MWH, null, null));
        assertEquals("UNIT_CONVERSION_MISSING", missing.code());
        // a gas's normal volume is not a volume at any other conditions: no density per m3 bridges it
        assertEquals("UNIT_CONVERSION_MISSING", assertThrows(UnitConversion.NotConvertible.class,
                () -> UnitConversion.factor(Unit.NM3, Unit.M3, new Measure(new BigDecimal("0.8"), "kg/m3"), null)).code());
        assertEquals("UNIT_CONVERSION_MISSING", assertThrows(UnitConversion.NotConvertible.class,
                () -> UnitConversion.factor(Unit.NM3, Unit.MWH, null, new Measure(new BigDecimal("34"), "MJ/l"))).code());
        assertEquals("UNIT_CONVERSION_INVALID", assertThrows(UnitConversion.NotConvertible.class,
                () -> UnitConversion.factor(Unit.NM3, Unit.MWH, null, new Measure(BigDecimal.ZERO, "kWh/Nm3"))).code());
    }
}
