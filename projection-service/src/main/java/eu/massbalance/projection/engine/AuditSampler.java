package eu.massbalance.projection.engine;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Audit samples: n movements of a site and period, drawn at random but reproducibly from a
 * seed, optionally weighted by risk. Plain Java and deterministic, so that anyone can redraw a sample
 * from its seed and the movements, without this service:
 *
 * <ul>
 * <li>each movement gets {@code u = (first 53 bits of SHA-256("seed|deliveryId|seq")) + 0.5) / 2^53},
 * a number in (0, 1) that depends on nothing else (not on the order or number of the others);</li>
 * <li>its key is {@code ln(u) / w}, where {@code w} is 1, or with weighting 1 plus the weights of its
 * risks; the n largest keys are drawn (weighted sampling without replacement, Efraimidis and
 * Spirakis), ties broken by the lower sequence number.</li>
 * </ul>
 */
public final class AuditSampler {

    private AuditSampler() {
    }

    /** What makes a movement riskier to leave unchecked (the guidance: the larger the risk, the larger the sample). */
    public enum Risk {
        /** At or above the 90th percentile (nearest rank) of the period's quantities of its product. */
        LARGE_QUANTITY(2),
        /** Dated in a period that was already closed when it was posted. */
        LATE_POSTING(2),
        /** Named by a deviation at the site. */
        LINKED_TO_DEVIATION(3),
        /** An inbound from a supplier whose certificate has been revoked or has lapsed by the period's end. */
        SUPPLIER_CERTIFICATE_LAPSED(3);

        private final int weight;

        Risk(int weight) {
            this.weight = weight;
        }

        public int weight() {
            return weight;
        }
    }

    /** A movement that may be drawn, with what the sample needs to know of it. */
    public record Candidate(String deliveryId, long seq, String direction, String product, BigDecimal quantity, boolean late,
                            boolean linkedToDeviation, boolean supplierLapsed) {
    }

    /** A drawn movement: its place in the sample (1 = the largest key), its risks (in the order declared) and weight, and its {@code u}. */
    public record Drawn(int rank, String deliveryId, long seq, String direction, String product, BigDecimal quantity,
                        List<Risk> risks, int weight, double u) {
    }

    public static List<Drawn> draw(List<Candidate> candidates, int size, long seed, boolean weighted) {
        Map<String, BigDecimal> large = largeThresholds(candidates);
        record Keyed(Candidate c, List<Risk> risks, int weight, double u, double key) {
        }
        List<Keyed> keyed = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            Set<Risk> risks = EnumSet.noneOf(Risk.class);
            if (c.quantity().compareTo(large.get(c.product())) >= 0) {
                risks.add(Risk.LARGE_QUANTITY);
            }
            if (c.late()) {
                risks.add(Risk.LATE_POSTING);
            }
            if (c.linkedToDeviation()) {
                risks.add(Risk.LINKED_TO_DEVIATION);
            }
            if (c.supplierLapsed()) {
                risks.add(Risk.SUPPLIER_CERTIFICATE_LAPSED);
            }
            int weight = weighted ? 1 + risks.stream().mapToInt(Risk::weight).sum() : 1;
            double u = uniform(seed, c.deliveryId(), c.seq());
            keyed.add(new Keyed(c, List.copyOf(risks), weight, u, Math.log(u) / weight));
        }
        keyed.sort(Comparator.comparingDouble(Keyed::key).reversed().thenComparingLong(k -> k.c().seq()));
        List<Drawn> drawn = new ArrayList<>();
        for (int i = 0; i < Math.min(size, keyed.size()); i++) {
            Keyed k = keyed.get(i);
            drawn.add(new Drawn(i + 1, k.c().deliveryId(), k.c().seq(), k.c().direction(), k.c().product(), k.c().quantity(),
                    k.risks(), k.weight(), k.u()));
        }
        return drawn;
    }

    /** A number in (0, 1) from the seed and the movement alone. */
    static double uniform(long seed, String deliveryId, long seq) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + "|" + deliveryId + "|" + seq).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = bits << 8 | (h[i] & 0xff);
            }
            return ((bits >>> 11) + 0.5) / (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per product, the 90th percentile of the candidates' quantities (nearest rank). */
    static Map<String, BigDecimal> largeThresholds(List<Candidate> candidates) {
        Map<String, List<BigDecimal>> byProduct = new HashMap<>();
        for (Candidate c : candidates) {
            byProduct.computeIfAbsent(c.product(), p -> new ArrayList<>()).add(c.quantity());
        }
        Map<String, BigDecimal> thresholds = new HashMap<>();
        byProduct.forEach((product, quantities) -> {
            quantities.sort(Comparator.naturalOrder());
            int rank = (int) Math.ceil(0.9 * quantities.size());
            thresholds.put(product, quantities.get(Math.max(0, rank - 1)));
        });
        return thresholds;
    }
}
