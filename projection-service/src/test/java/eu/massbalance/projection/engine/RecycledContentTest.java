package eu.massbalance.projection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The battery passport's recycled content of an outbound: per element, batch by batch, never averaged. */
class RecycledContentTest {

    static final Map<String, Object> NICKEL_A = Map.of("contentNi", "0.22", "recycledSharePreConsumer", "0.10",
            "recycledSharePostConsumer", "0.20");
    static final Map<String, Object> NICKEL_COBALT_B = Map.of("contentNi", "0.20", "contentCo", "0.05",
            "recycledSharePreConsumer", "0", "recycledSharePostConsumer", "0.5");

    static void assertKg(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + ", got " + actual);
    }

    @Test
    void each_portion_counts_with_its_own_batchs_fractions() {
        RecycledContent.Report report = RecycledContent.of(List.of(
                new RecycledContent.Portion("A", new BigDecimal("1000"), "battery-material-v1", NICKEL_A),
                new RecycledContent.Portion("B", new BigDecimal("500"), "battery-material-v1", NICKEL_COBALT_B)));
        RecycledContent.Element cobalt = report.elements().get(0);
        RecycledContent.Element nickel = report.elements().get(1);
        assertEquals("Co", cobalt.element());
        assertKg("25", cobalt.kilograms());
        assertKg("0", cobalt.recycledPreConsumerKg());
        assertKg("12.5", cobalt.recycledPostConsumerKg());
        assertKg("0.5", cobalt.recycledShare());
        assertEquals("Ni", nickel.element());
        assertKg("320", nickel.kilograms());          // 220 from A, 100 from B
        assertKg("22", nickel.recycledPreConsumerKg());  // A's 220 × 0.10
        assertKg("94", nickel.recycledPostConsumerKg()); // A's 220 × 0.20 + B's 100 × 0.5
        assertKg("0.3625", nickel.recycledShare());      // not the average of 0.30 and 0.50
        assertEquals(List.of(), report.undeclaredBatches());
    }

    @Test
    void a_batch_without_battery_material_characteristics_is_named_not_counted() {
        RecycledContent.Report report = RecycledContent.of(List.of(
                new RecycledContent.Portion("A", new BigDecimal("10"), "battery-material-v1", NICKEL_A),
                new RecycledContent.Portion("UCO-1", new BigDecimal("10"), "red-biofuel-v1", Map.of("rawMaterial", "UCO"))));
        assertEquals(List.of("UCO-1"), report.undeclaredBatches());
        assertKg("2.2", report.elements().get(0).kilograms());
    }
}
