package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.FlowRulesTest.DEPOT;
import static eu.massbalance.projection.engine.FlowRulesTest.PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.ProcessingRun;
import eu.massbalance.contracts.event.TransferInTransit;
import eu.massbalance.contracts.event.TransferReceived;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Conservation across sites and through factors (R-14 with R-22 and R-23), over random streams: a
 * port terminal on monthly periods receives, transfers to an inland depot on quarterly periods and
 * processes HVO into a blend; the depot receives (less, as much or more than was sent, sometimes in
 * a later period), sells and closes. Transfers travel as the saga carries them: each dispatch
 * becomes a transit on the depot's log, some later than others.
 */
class FlowPropertiesTest {

    static final String[] COUNTRIES = {"NL", "DE", "SE"};

    record Run(long seed, int length) {
    }

    /** What one stream did, seen from both sites. */
    static final class Outcome {
        final SiteLedger port = FlowRulesTest.ledger(PORT, 1, "HVO", "BLEND");
        final SiteLedger depot = FlowRulesTest.ledger(DEPOT, 3, "HVO");
        final Map<String, BigDecimal> dispatchedPerBatch = new HashMap<>();
        final Map<String, Characteristics> dispatchedCharacteristics = new HashMap<>();
        final Map<String, BigDecimal> receivedPerBatch = new HashMap<>();
        BigDecimal dispatched = BigDecimal.ZERO;
        BigDecimal received = BigDecimal.ZERO;
        BigDecimal lost = BigDecimal.ZERO;
        BigDecimal inTransit = BigDecimal.ZERO;
        BigDecimal processedIn = BigDecimal.ZERO;
        BigDecimal processedOut = BigDecimal.ZERO;
        BigDecimal factorBound = BigDecimal.ZERO;
        final Map<String, BigDecimal> transitAmounts = new LinkedHashMap<>();
        final List<Applied> depotApplied = new ArrayList<>();
    }

    static Outcome play(Run run) {
        Random random = new Random(run.seed());
        Outcome o = new Outcome();
        List<Effect.TransferDispatched> notYetOnTheDepotsLog = new ArrayList<>();
        List<String> onItsWay = new ArrayList<>();
        YearMonth month = YearMonth.of(2025, 1);
        for (int i = 0; i < run.length(); i++) {
            int dice = random.nextInt(100);
            OffsetDateTime at = month.atDay(1 + random.nextInt(28)).atTime(12, 0).atOffset(java.time.ZoneOffset.ofHours(1));
            if (dice < 25) {
                String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
                String amount = String.valueOf(1 + random.nextInt(20));
                o.port.apply(new InboundDelivery(PORT, "I" + i, at, "HVO", Quantity.of(amount, Unit.M3), FlowRulesTest.SUPPLIER,
                        "CMR", List.of(new BatchLine("B" + i, new BigDecimal(amount), Site.hvo(country, String.valueOf(10 + random.nextInt(8))))),
                        null, null));
            } else if (dice < 45) {
                String amount = String.valueOf(1 + random.nextInt(12));
                Applied applied = o.port.apply(new OutboundDelivery(PORT, "T" + i, at, "HVO", Quantity.of(amount, Unit.M3), null, null,
                        null, List.of(BatchLine.claim(amount)), null, null, "erp", DEPOT));
                applied.effects(Effect.TransferDispatched.class).forEach(d -> {
                    notYetOnTheDepotsLog.add(d);
                    for (Portion p : d.portions()) {
                        o.dispatchedPerBatch.merge(p.batchId(), p.amount(), BigDecimal::add);
                        o.dispatchedCharacteristics.put(p.batchId(), p.characteristics());
                        o.dispatched = o.dispatched.add(p.amount());
                    }
                });
            } else if (dice < 55 && !notYetOnTheDepotsLog.isEmpty()) {
                Effect.TransferDispatched d = notYetOnTheDepotsLog.remove(random.nextInt(notYetOnTheDepotsLog.size()));
                Applied applied = o.depot.apply(FlowRulesTest.transit(d));
                o.depotApplied.add(applied);
                applied.effects(Effect.InTransit.class).forEach(t -> {
                    onItsWay.add(t.transferId());
                    o.transitAmounts.put(t.transferId(), t.sustainable());
                });
            } else if (dice < 70 && !onItsWay.isEmpty()) {
                String transferId = onItsWay.get(random.nextInt(onItsWay.size()));
                BigDecimal sent = o.transitAmounts.get(transferId);
                // as much as sent, a little less or a little more, at times dated in the next period
                BigDecimal quantity = sent.multiply(new BigDecimal(90 + random.nextInt(16))).movePointLeft(2);
                OffsetDateTime when = random.nextInt(5) == 0 ? at.plusMonths(3) : at;
                Applied applied = o.depot.apply(new TransferReceived(DEPOT, transferId, when, Quantity.of(quantity.toPlainString(), Unit.M3),
                        "CMR-R", "erp"));
                o.depotApplied.add(applied);
                if (!applied.refused()) {
                    onItsWay.remove(transferId);
                }
            } else if (dice < 80) {
                String amount = String.valueOf(1 + random.nextInt(8));
                o.depot.apply(new OutboundDelivery(DEPOT, "O" + i, at, "HVO", Quantity.of(amount, Unit.M3), "customer", "TRANSPORT",
                        true, List.of(BatchLine.claim(amount)), null, null));
            } else if (dice < 88) {
                String input = String.valueOf(1 + random.nextInt(6));
                String factor = random.nextBoolean() ? "1" : "0.95";
                BigDecimal most = new BigDecimal(input).multiply(new BigDecimal(factor));
                BigDecimal output = most.multiply(new BigDecimal(80 + random.nextInt(21))).movePointLeft(2);
                Applied applied = o.port.apply(new ProcessingRun(PORT, "R" + i, at, "HVO", Quantity.of(input, Unit.M3),
                        List.of(BatchLine.claim(input)), List.of(new ProcessingRun.Output("BLEND", Quantity.of(output.toPlainString(),
                        Unit.M3), new BigDecimal(factor), null)), "erp"));
                if (!applied.refused()) {
                    o.processedIn = o.processedIn.add(new BigDecimal(input));
                    o.factorBound = o.factorBound.add(most);
                    for (Effect.Processed p : applied.effects(Effect.Processed.class)) {
                        for (Effect.ProcessedLink link : p.links()) {
                            o.processedOut = o.processedOut.add(link.outputAmount());
                        }
                    }
                }
            } else if (dice < 94) {
                o.port.apply(new PeriodCloseRequested(PORT, o.port.earliestOpenPeriod().orElseThrow(), "officer"));
                month = month.plusMonths(1);
            } else {
                o.depotApplied.add(o.depot.apply(new PeriodCloseRequested(DEPOT, o.depot.earliestOpenPeriod().orElseThrow(), "officer")));
            }
        }
        for (Applied applied : o.depotApplied) {
            for (Effect e : applied.effects()) {
                if (e instanceof Effect.Booked b && b.direction() == Effect.Direction.INBOUND && b.deliveryId().startsWith(PORT + ":")) {
                    for (Portion p : b.portions()) {
                        o.receivedPerBatch.merge(p.batchId(), p.amount(), BigDecimal::add);
                        o.received = o.received.add(p.amount());
                        assertEquals(o.dispatchedCharacteristics.get(p.batchId()), p.characteristics(), "R-03: carried exactly");
                    }
                } else if (e instanceof Effect.TransferCompleted t) {
                    o.lost = o.lost.add(t.sustainableLost());
                    o.transitAmounts.remove(t.transferId());
                }
            }
        }
        o.inTransit = o.transitAmounts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        for (Effect.TransferDispatched d : notYetOnTheDepotsLog) {
            o.inTransit = o.inTransit.add(d.portions().stream().map(Portion::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
        }
        return o;
    }

    @Provide
    Arbitrary<Run> runs() {
        return Arbitraries.longs().flatMap(seed -> Arbitraries.integers().between(10, 160).map(n -> new Run(seed, n)));
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void what_was_dispatched_is_received_lost_or_in_transit_never_more(@ForAll("runs") Run run) {
        Outcome o = play(run);
        assertEquals(0, o.dispatched.compareTo(o.received.add(o.lost).add(o.inTransit)),
                () -> "dispatched " + o.dispatched + " = received " + o.received + " + lost " + o.lost + " + in transit " + o.inTransit);
        o.receivedPerBatch.forEach((batch, amount) -> assertTrue(amount.compareTo(o.dispatchedPerBatch.get(batch)) <= 0,
                () -> "batch " + batch + " received " + amount + " of " + o.dispatchedPerBatch.get(batch) + " sent (R-14)"));
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void processing_never_makes_more_than_input_times_factor_and_stock_is_never_negative(@ForAll("runs") Run run) {
        Outcome o = play(run);
        assertTrue(o.processedOut.compareTo(o.factorBound) <= 0, () -> "made " + o.processedOut + " of at most " + o.factorBound);
        for (SiteLedger ledger : List.of(o.port, o.depot)) {
            ledger.stock().forEach(s -> assertTrue(s.onHand().signum() > 0, () -> "stock " + s));
            for (PeriodResult result : ledger.closedPeriods()) {
                for (PeriodResult.ProductBalance p : result.products()) {
                    assertTrue(p.closing().signum() >= 0, () -> "closing " + p);
                    // R-14 per period: what left as sustainable never exceeds what was there
                    assertTrue(p.claimed().subtract(p.uncovered()).compareTo(p.opening().add(p.in())) <= 0, () -> "balance " + p);
                }
            }
        }
    }

    /** The properties are not vacuous: the streams transfer, receive short, late and in full, and process. */
    @org.junit.jupiter.api.Test
    void the_generated_streams_dispatch_receive_lose_and_process() {
        BigDecimal dispatched = BigDecimal.ZERO;
        BigDecimal received = BigDecimal.ZERO;
        BigDecimal lost = BigDecimal.ZERO;
        BigDecimal inTransit = BigDecimal.ZERO;
        BigDecimal processed = BigDecimal.ZERO;
        int pendingReceipts = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Outcome o = play(new Run(seed, 120));
            dispatched = dispatched.add(o.dispatched);
            received = received.add(o.received);
            lost = lost.add(o.lost);
            inTransit = inTransit.add(o.inTransit);
            processed = processed.add(o.processedOut);
            pendingReceipts += (int) o.depotApplied.stream().flatMap(a -> a.effects(Effect.Pending.class).stream()).count();
        }
        assertTrue(dispatched.signum() > 0 && received.signum() > 0 && lost.signum() > 0 && inTransit.signum() > 0
                && processed.signum() > 0 && pendingReceipts > 0, "dispatched " + dispatched + ", received " + received + ", lost "
                + lost + ", in transit " + inTransit + ", processed " + processed + ", receipts waiting " + pendingReceipts);
    }

    @Property(tries = 50, shrinking = ShrinkingMode.BOUNDED)
    void the_same_streams_give_the_same_states(@ForAll("runs") Run run) {
        assertEquals(play(run).depot.snapshot(), play(run).depot.snapshot());
        assertEquals(play(run).port.snapshot(), play(run).port.snapshot());
    }
}
