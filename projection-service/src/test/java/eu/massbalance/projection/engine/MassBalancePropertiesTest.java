package eu.massbalance.projection.engine;

import static org.assertj.core.api.Assertions.assertThat;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.BatchesMerged;
import eu.massbalance.contracts.event.DeliveryReversed;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Invariants over random multi-period streams with several products, batches, named and FIFO
 * claims, pending and late deliveries, reversals, merges, batches failing the GHG threshold,
 * revocations after the fact and closes (R-04 … R-19).
 */
class MassBalancePropertiesTest {

    static final String[] PRODUCTS = {"HVO", "FAME"};
    static final String[] COUNTRIES = {"NL", "DE", "SE"};

    /** A stream is generated from a seed, so jqwik can shrink to the shortest failing prefix length. */
    record Stream(long seed, int length) {
        List<LedgerEvent> events() {
            Random random = new Random(seed);
            List<LedgerEvent> events = new ArrayList<>();
            events.add(Site.config(1, "2025-01", null, random.nextBoolean()
                            ? eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy.FORBID
                            : eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy.ALLOW_WITHIN_PERIOD,
                    eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy.FIFO, List.of(), PRODUCTS));
            events.add(Site.certificate(Site.SUPPLIER, "CERT", "2020-01-01", null));
            events.add(Site.certificate("trader", "TRADER-CERT", "2020-01-01", null));
            YearMonth open = YearMonth.of(2025, 1);
            Map<String, String> batchProduct = new HashMap<>();
            List<String> deliveryIds = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                int dice = random.nextInt(100);
                String product = PRODUCTS[random.nextInt(PRODUCTS.length)];
                // mostly the open period; sometimes the next (pending) or the previous (late)
                int shift = dice % 10 == 0 ? 1 : dice % 13 == 0 ? -1 : 0;
                YearMonth month = open.plusMonths(shift);
                if (month.isBefore(YearMonth.of(2025, 1))) {
                    month = open;
                }
                OffsetDateTime at = month.atDay(1 + random.nextInt(27)).atTime(12, 0).atOffset(java.time.ZoneOffset.ofHours(1));
                String id = "D" + i;
                if (dice < 40) {
                    String batchId = product + "-B" + random.nextInt(6);
                    BigDecimal total = amount(random, 5, 60);
                    BigDecimal sustainable = total.multiply(BigDecimal.valueOf(random.nextInt(101))).movePointLeft(2)
                            .setScale(3, java.math.RoundingMode.DOWN);
                    List<BatchLine> lines = sustainable.signum() > 0 && batchProduct.getOrDefault(batchId, product).equals(product)
                            ? List.of(new BatchLine(batchId, sustainable, characteristics(batchId)))
                            : List.of();
                    if (!lines.isEmpty()) {
                        batchProduct.put(batchId, product);
                    }
                    String supplier = random.nextInt(4) == 0 ? "trader" : Site.SUPPLIER;
                    events.add(new InboundDelivery(Site.ID, id, at, product, new Quantity(total, Unit.M3), supplier,
                            "CMR-" + i, lines, null, null));
                    deliveryIds.add(id);
                } else if (dice < 80) {
                    BigDecimal total = amount(random, 5, 50);
                    BigDecimal claimed = total.multiply(BigDecimal.valueOf(random.nextInt(101))).movePointLeft(2)
                            .setScale(3, java.math.RoundingMode.DOWN);
                    String named = random.nextInt(4) == 0 ? product + "-B" + random.nextInt(6) : null;
                    List<BatchLine> lines = claimed.signum() > 0 ? List.of(new BatchLine(named, claimed, null)) : List.of();
                    events.add(new OutboundDelivery(Site.ID, id, at, product, new Quantity(total, Unit.M3), "c", "TRANSPORT",
                            true, lines, null, null));
                    deliveryIds.add(id);
                } else if (dice < 86 && !deliveryIds.isEmpty()) {
                    events.add(new DeliveryReversed(Site.ID, deliveryIds.get(random.nextInt(deliveryIds.size())), "fix", "erp"));
                } else if (dice < 91) {
                    // often refused (not on hand, another country), sometimes a merge
                    String a = product + "-B" + random.nextInt(6);
                    String b = product + "-B" + random.nextInt(6);
                    events.add(new BatchesMerged(Site.ID, product, List.of(a, b), "M" + i, "one tank", "officer"));
                } else if (dice == 91) {
                    // R-16 after the fact: the trader's certificate is revoked from a day in an earlier month
                    YearMonth from = open.minusMonths(random.nextInt(3));
                    events.add(Site.revoked("trader", "TRADER-CERT", from.atDay(1 + random.nextInt(27)).toString()));
                    events.add(Site.certificate("trader", "TRADER-CERT-" + i, open.plusMonths(1).atDay(1).toString(), null));
                } else {
                    events.add(new PeriodCloseRequested(Site.ID, open, "officer"));
                    open = open.plusMonths(1);
                }
            }
            events.add(new PeriodCloseRequested(Site.ID, open, "officer"));
            return events;
        }

        /**
         * One batch id, one set of characteristics: its country and transport emissions follow from the
         * id, so batches of one country differ only in transport and some fail R-19.
         */
        private static Characteristics characteristics(String batchId) {
            int h = Math.abs(batchId.hashCode());
            String country = COUNTRIES[h % COUNTRIES.length];
            BigDecimal transport = BigDecimal.valueOf(h % 5).add(BigDecimal.ONE);
            BigDecimal base = h % 7 == 0 ? new BigDecimal("45") : new BigDecimal("12");
            return Site.hvo(country, base.add(transport).toPlainString())
                    .with("transportEmissions", eu.massbalance.contracts.Measure.of(transport.toPlainString(), "gCO2e/MJ"));
        }

        private static BigDecimal amount(Random random, int min, int max) {
            return BigDecimal.valueOf(min * 1000L + random.nextInt((max - min) * 1000)).movePointLeft(3);
        }
    }

    @Provide
    Arbitrary<Stream> streams() {
        return Arbitraries.longs().flatMap(seed -> Arbitraries.integers().between(10, 400).map(n -> new Stream(seed, n)));
    }

    /** The properties mean something only if the streams reach every kind of outcome. */
    @net.jqwik.api.Example
    void the_generated_streams_merge_refuse_revoke_uncover_and_release() {
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            SiteLedger ledger = new SiteLedger(Site.ID);
            new Stream(seed, 300).events().forEach(e -> ledger.apply(e).effects().forEach(effect -> seen.add(effect.getClass())));
        }
        assertThat(seen).contains(Effect.Merged.class, Effect.BatchRefused.class, Effect.Disqualified.class,
                Effect.Uncovered.class, Effect.Reversed.class, Effect.Pending.class, Effect.ClaimCovered.class);
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void conservation_per_batch_and_nothing_drawn_beyond_what_entered(@ForAll("streams") Stream stream) {
        SiteLedger ledger = new SiteLedger(Site.ID);
        stream.events().forEach(ledger::apply);
        assertThat(ledger.closedPeriods()).isNotEmpty();
        for (PeriodResult period : ledger.closedPeriods()) {
            for (PeriodResult.ProductBalance product : period.products()) {
                BigDecimal sum = BigDecimal.ZERO;
                for (PeriodResult.BatchBalance b : product.batches()) {
                    BigDecimal expected = b.opening().add(b.in()).subtract(b.out()).add(b.mergedIn()).subtract(b.mergedOut())
                            .subtract(b.disqualified());
                    assertThat(b.closing()).as("closing of %s in %s", b.batchId(), period.periodId()).isEqualByComparingTo(expected);
                    assertThat(b.closing().signum()).as("closing of %s never negative", b.batchId()).isGreaterThanOrEqualTo(0);
                    // drawn ≤ opening + received
                    assertThat(b.out()).isLessThanOrEqualTo(b.opening().add(b.in()).add(b.mergedIn()));
                    sum = sum.add(b.closing());
                }
                assertThat(product.closing()).isEqualByComparingTo(sum);
                // every sustainable claim was either drawn from a batch or is uncovered
                assertThat(product.claimed()).isEqualByComparingTo(product.out().add(product.uncovered()));
                assertThat(product.uncovered().signum()).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void opening_of_each_period_equals_the_previous_closing_batch_by_batch(@ForAll("streams") Stream stream) {
        SiteLedger ledger = new SiteLedger(Site.ID);
        stream.events().forEach(ledger::apply);
        List<PeriodResult> closed = ledger.closedPeriods();
        for (int i = 1; i < closed.size(); i++) {
            Map<String, Characteristics> carried = new HashMap<>();
            Map<String, BigDecimal> closing = new HashMap<>();
            closed.get(i - 1).products().forEach(p -> p.batches().stream().filter(b -> b.closing().signum() > 0).forEach(b -> {
                closing.put(b.batchId(), b.closing());
                carried.put(b.batchId(), b.characteristics());
            }));
            Map<String, BigDecimal> opening = new HashMap<>();
            closed.get(i).products().forEach(p -> p.batches().stream().filter(b -> b.opening().signum() != 0).forEach(b -> {
                opening.put(b.batchId(), b.opening());
                assertThat(b.characteristics()).as("R-12: characteristics unchanged").isEqualTo(carried.get(b.batchId()));
                assertThat(b.opening().signum()).as("R-13: nothing negative is carried").isPositive();
            }));
            assertThat(opening.keySet()).isEqualTo(closing.keySet());
            opening.forEach((id, amount) -> assertThat(amount).isEqualByComparingTo(closing.get(id)));
        }
    }

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void the_same_stream_applied_twice_gives_identical_states_and_effects(@ForAll("streams") Stream stream) {
        List<LedgerEvent> events = stream.events();
        SiteLedger one = new SiteLedger(Site.ID);
        SiteLedger two = new SiteLedger(Site.ID);
        List<Applied> first = events.stream().map(one::apply).toList();
        List<Applied> second = events.stream().map(two::apply).toList();
        assertThat(second).isEqualTo(first);
        assertThat(two.snapshot()).isEqualTo(one.snapshot());
    }

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void every_portion_comes_from_a_batch_of_the_same_mixture_with_its_characteristics(@ForAll("streams") Stream stream) {
        SiteLedger ledger = new SiteLedger(Site.ID);
        Map<String, Characteristics> received = new HashMap<>();
        for (LedgerEvent event : stream.events()) {
            for (Effect effect : ledger.apply(event).effects()) {
                List<Portion> portions = effect instanceof Effect.Booked b ? b.portions()
                        : effect instanceof Effect.ClaimCovered c ? c.portions() : List.of();
                boolean inbound = effect instanceof Effect.Booked b && b.direction() == Effect.Direction.INBOUND;
                if (effect instanceof Effect.Merged m) {
                    received.put(m.targetBatchId(), m.characteristics());
                }
                for (Portion p : portions) {
                    if (inbound) {
                        received.putIfAbsent(p.batchId(), p.characteristics());
                    } else {
                        assertThat(received).containsKey(p.batchId());
                        assertThat(p.characteristics()).isEqualTo(received.get(p.batchId()));
                        assertThat(p.amount().signum()).isPositive();
                    }
                }
            }
        }
    }
}
