package eu.massbalance.projection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.projection.engine.AuditSampler.Candidate;
import eu.massbalance.projection.engine.AuditSampler.Drawn;
import eu.massbalance.projection.engine.AuditSampler.Risk;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** audit samples are random, reproducible from their seed, and may be weighted by risk. */
@DisplayName("R-20 Audit samples")
class AuditSamplerTest {

    /** Given a period of {@code n} movements, every tenth one late and every seventh one named by a deviation. */
    static List<Candidate> period(int n) {
        List<Candidate> movements = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            movements.add(new Candidate("D-" + i, i, i % 2 == 0 ? "OUTBOUND" : "INBOUND", "HVO", BigDecimal.valueOf(10 + i % 13),
                    i % 10 == 0, i % 7 == 0, false));
        }
        return movements;
    }

    static List<String> ids(List<Drawn> drawn) {
        return drawn.stream().map(Drawn::deliveryId).toList();
    }

    @Property(tries = 50)
    void R20_the_same_seed_gives_the_same_sample_whatever_order_the_movements_come_in(@ForAll @LongRange(min = 0, max = 1L << 52) long seed,
                                                                                   @ForAll @IntRange(min = 1, max = 40) int size) {
        List<Candidate> movements = period(200);
        List<Candidate> shuffled = new ArrayList<>(movements);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(ids(AuditSampler.draw(movements, size, seed, true)), ids(AuditSampler.draw(shuffled, size, seed, true)));
        assertEquals(AuditSampler.draw(movements, size, seed, false), AuditSampler.draw(movements, size, seed, false));
    }

    @Test
    void R20_another_seed_gives_another_sample_and_a_sample_never_holds_a_movement_twice() {
        List<String> a = ids(AuditSampler.draw(period(500), 20, 1, false));
        List<String> b = ids(AuditSampler.draw(period(500), 20, 2, false));
        assertNotEquals(a, b);
        assertEquals(20, a.stream().distinct().count());
    }

    @Test
    void R20_a_sample_larger_than_the_period_holds_every_movement_once_ranked_from_one() {
        List<Drawn> all = AuditSampler.draw(period(5), 10, 7, true);
        assertEquals(List.of("D-1", "D-2", "D-3", "D-4", "D-5"), ids(all).stream().sorted().toList());
        assertEquals(List.of(1, 2, 3, 4, 5), all.stream().map(Drawn::rank).toList());
    }

    @Test
    void R20_a_movement_added_to_the_period_does_not_change_the_others_standing() {
        // each movement's number depends on the seed and itself alone: a sample of the larger period keeps the smaller one's
        // movements in the same order among themselves
        List<String> before = ids(AuditSampler.draw(period(100), 100, 42, false));
        List<String> after = ids(AuditSampler.draw(period(101), 101, 42, false));
        assertEquals(before, after.stream().filter(id -> !id.equals("D-101")).toList());
    }

    @Test
    void R20_weighted_by_risk_draws_risky_movements_more_often_than_at_random() {
        List<Candidate> movements = period(300);
        long riskyInPeriod = movements.stream().filter(c -> c.late() || c.linkedToDeviation()).count();
        int riskyWeighted = 0;
        int riskyPlain = 0;
        for (long seed = 0; seed < 200; seed++) {
            riskyWeighted += (int) AuditSampler.draw(movements, 20, seed, true).stream().filter(d -> !d.risks().isEmpty()
                    && !d.risks().equals(List.of(Risk.LARGE_QUANTITY))).count();
            riskyPlain += (int) AuditSampler.draw(movements, 20, seed, false).stream().filter(d -> d.risks().contains(Risk.LATE_POSTING)
                    || d.risks().contains(Risk.LINKED_TO_DEVIATION)).count();
        }
        double expectedAtRandom = 200 * 20 * (double) riskyInPeriod / movements.size();
        assertTrue(Math.abs(riskyPlain - expectedAtRandom) < 0.15 * expectedAtRandom, "unweighted is uniform: " + riskyPlain + " vs "
                + expectedAtRandom);
        assertTrue(riskyWeighted > 1.8 * riskyPlain, "weighted prefers the risky: " + riskyWeighted + " vs " + riskyPlain);
    }

    @Test
    void R20_the_risks_and_weights_are_named_on_each_drawn_movement() {
        List<Candidate> movements = List.of(
                new Candidate("BIG", 1, "OUTBOUND", "HVO", new BigDecimal("100"), false, false, false),
                new Candidate("LATE", 2, "OUTBOUND", "HVO", new BigDecimal("1"), true, false, false),
                new Candidate("DEV", 3, "OUTBOUND", "HVO", new BigDecimal("1"), false, true, false),
                new Candidate("LAPSED", 4, "INBOUND", "HVO", new BigDecimal("1"), false, false, true),
                new Candidate("PLAIN", 5, "OUTBOUND", "HVO", new BigDecimal("1"), false, false, false));
        java.util.Map<String, Drawn> drawn = new java.util.HashMap<>();
        AuditSampler.draw(movements, 5, 3, true).forEach(d -> drawn.put(d.deliveryId(), d));
        assertEquals(List.of(Risk.LARGE_QUANTITY), drawn.get("BIG").risks());
        assertEquals(3, drawn.get("BIG").weight());
        assertEquals(List.of(Risk.LATE_POSTING), drawn.get("LATE").risks());
        assertEquals(4, drawn.get("DEV").weight());
        assertEquals(List.of(Risk.SUPPLIER_CERTIFICATE_LAPSED), drawn.get("LAPSED").risks());
        assertEquals(1, drawn.get("PLAIN").weight());
        // unweighted, every movement weighs 1 whatever its risks
        assertTrue(AuditSampler.draw(movements, 5, 3, false).stream().allMatch(d -> d.weight() == 1));
    }

    @Test
    void R20_the_number_behind_a_draw_is_the_documented_hash_so_anyone_can_recompute_it() throws Exception {
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest("12345|D-9|9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long top = java.nio.ByteBuffer.wrap(h).getLong() >>> 11;
        assertEquals((top + 0.5) / (1L << 53), AuditSampler.uniform(12345, "D-9", 9));
        Drawn only = AuditSampler.draw(List.of(period(9).get(8)), 1, 12345, false).get(0);
        assertEquals(AuditSampler.uniform(12345, "D-9", 9), only.u());
    }
}
