package eu.massbalance.projection.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a battery passport needs of an outbound (EU Battery Regulation 2023/1542, Article 8): per
 * element the regulation counts, the mass of it in the delivered batches and how much of that is
 * recycled, pre-consumer and post-consumer. Computed from the drawn portions and each batch's
 * characteristics ({@code battery-material-v1}), never averaged across batches: each portion
 * contributes its own batch's fractions. Plain Java.
 */
public final class RecycledContent {

    /** The counted elements, by the characteristic that gives their mass fraction. */
    static final Map<String, String> ELEMENTS = new TreeMap<>(Map.of("contentCo", "Co", "contentLi", "Li", "contentNi", "Ni",
            "contentMn", "Mn", "contentPb", "Pb"));

    private RecycledContent() {
    }

    /** One drawn portion: its batch, its mass in kg, and its batch's characteristics' fields. */
    public record Portion(String batchId, BigDecimal kilograms, String profile, Map<String, Object> fields) {
    }

    /** One element across the delivery: its mass, the recycled masses, and the recycled share of it. */
    public record Element(String element, BigDecimal kilograms, BigDecimal recycledPreConsumerKg, BigDecimal recycledPostConsumerKg,
                          BigDecimal recycledShare) {
    }

    /** The elements, and the portions whose batches declare no battery-material characteristics. */
    public record Report(List<Element> elements, List<String> undeclaredBatches) {
    }

    public static Report of(List<Portion> portions) {
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        List<String> undeclared = new ArrayList<>();
        for (Portion p : portions) {
            if (!"battery-material-v1".equals(p.profile())) {
                undeclared.add(p.batchId());
                continue;
            }
            BigDecimal pre = decimal(p.fields().get("recycledSharePreConsumer"));
            BigDecimal post = decimal(p.fields().get("recycledSharePostConsumer"));
            ELEMENTS.forEach((field, element) -> {
                BigDecimal fraction = decimal(p.fields().get(field));
                if (fraction.signum() == 0) {
                    return;
                }
                BigDecimal mass = p.kilograms().multiply(fraction);
                BigDecimal[] sum = sums.computeIfAbsent(element, e -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                sum[0] = sum[0].add(mass);
                sum[1] = sum[1].add(mass.multiply(pre));
                sum[2] = sum[2].add(mass.multiply(post));
            });
        }
        List<Element> elements = new ArrayList<>();
        sums.forEach((element, sum) -> elements.add(new Element(element, scaled(sum[0]), scaled(sum[1]), scaled(sum[2]),
                sum[0].signum() == 0 ? BigDecimal.ZERO : sum[1].add(sum[2]).divide(sum[0], 6, RoundingMode.HALF_EVEN).stripTrailingZeros())));
        return new Report(List.copyOf(elements), List.copyOf(undeclared));
    }

    private static BigDecimal decimal(Object value) {
        if (value == null) {
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(String.valueOf(value));
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO; // validated at the ledger's edge; an unreadable value counts for nothing rather than guessing
        }
    }

    private static BigDecimal scaled(BigDecimal value) {
        BigDecimal kept = value.setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return kept.signum() == 0 ? BigDecimal.ZERO : kept;
    }
}
