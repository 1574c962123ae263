package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.batch;
import static eu.massbalance.projection.engine.Site.batchLine;
import static eu.massbalance.projection.engine.Site.claim;
import static eu.massbalance.projection.engine.Site.close;
import static eu.massbalance.projection.engine.Site.config;
import static eu.massbalance.projection.engine.Site.hvo;
import static eu.massbalance.projection.engine.Site.in;
import static eu.massbalance.projection.engine.Site.out;
import static eu.massbalance.projection.engine.Site.refusalCode;
import static eu.massbalance.projection.engine.Site.reversal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.event.OpeningStockDeclared;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The balance (R-10 … R-15)")
class BalanceRulesTest {

    @Nested
    @DisplayName("R-10 Period-end check")
    class R10 {
        @Test
        void the_running_balance_may_go_negative_within_the_period_by_default() {
            Site site = Site.monthly().given(
                    out("O1", "2025-01-03", "HVO", "30", claim("30")),
                    in("I1", "2025-01-10", "HVO", "40", batch("A", "40")));
            assertTrue(site.ledger.deviations().isEmpty());
            Applied closing = site.apply(close("2025-01"));
            PeriodResult.ProductBalance hvo = closing.effects(Effect.PeriodClosed.class).get(0).result().product("HVO");
            assertAmount("40", hvo.in());
            assertAmount("30", hvo.out());
            assertAmount("0", hvo.uncovered());
            assertAmount("10", hvo.closing());
            assertTrue(site.ledger.deviations().isEmpty());
        }

        @Test
        void under_FORBID_a_claim_not_covered_at_once_raises_a_deviation_at_once() {
            Site site = new Site().given(config(1, "2025-01", null, OverdraftPolicy.FORBID, AllocationPolicy.FIFO, List.of(), "HVO"));
            Applied applied = site.apply(out("O1", "2025-01-03", "HVO", "30", claim("30")));
            Deviation d = applied.effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(Deviation.Rule.OVERDRAFT, d.rule());
            assertEquals(DeviationClass.MINOR, d.deviationClass());
            assertEquals(List.of("O1"), d.deliveries());
            assertAmount("30", d.quantity());
        }
    }

    @Nested
    @DisplayName("R-11 Allocation")
    class R11 {
        @Test
        void fifo_draws_opening_stock_first_then_by_first_receipt() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))),
                    close("2025-01"),
                    in("I2", "2025-02-02", "HVO", "10", batch("B", "10", hvo("DE"))),
                    in("I3", "2025-02-03", "HVO", "10", batch("C", "10", hvo("SE"))),
                    in("I4", "2025-02-04", "HVO", "5", batch("B", "5", hvo("DE"))));
            Applied applied = site.apply(out("O1", "2025-02-05", "HVO", "27", claim("27")));
            List<Portion> portions = applied.effects(Effect.Booked.class).get(0).portions();
            assertEquals(List.of("A", "B", "C"), portions.stream().map(Portion::batchId).toList());
            assertAmount("10", portions.get(0).amount());
            assertAmount("15", portions.get(1).amount());
            assertAmount("2", portions.get(2).amount());
            assertAmount("0", site.ledger.stock().stream().filter(s -> s.batchId().equals("B")).findFirst()
                    .map(SiteLedger.Stock::onHand).orElse(java.math.BigDecimal.ZERO));
        }

        @Test
        void R11_a_declared_opening_stock_opens_the_first_period_and_is_drawn_before_the_first_inbound() {
            Site site = Site.monthly().given(
                    new OpeningStockDeclared(Site.ID, "HVO", List.of(batch("OLD-1", "7", hvo("SE")), batch("OLD-2", "3", hvo("FI"))),
                            "officer"),
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))));
            Applied applied = site.apply(out("O1", "2025-01-06", "HVO", "12", claim("12")));
            List<Portion> portions = applied.effects(Effect.Booked.class).get(0).portions();
            assertEquals(List.of("OLD-1", "OLD-2", "A"), portions.stream().map(Portion::batchId).toList());
            assertAmount("7", portions.get(0).amount());
            assertAmount("3", portions.get(1).amount());
            assertAmount("2", portions.get(2).amount());
            PeriodResult january = site.apply(close("2025-01")).effects(Effect.PeriodClosed.class).get(0).result();
            assertAmount("10", january.product("HVO").opening());
            assertAmount("10", january.product("HVO").in());
            assertAmount("8", january.product("HVO").closing());
        }

        @Test
        void R11_opening_stock_is_declared_before_any_delivery_and_once_per_product() {
            Site late = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))));
            assertEquals(RefusalCode.OPENING_STOCK_TOO_LATE, refusalCode(late.apply(
                    new OpeningStockDeclared(Site.ID, "HVO", List.of(batch("OLD", "5", hvo("SE"))), "officer"))));
            Site twice = Site.monthly().given(new OpeningStockDeclared(Site.ID, "HVO", List.of(batch("OLD", "5", hvo("SE"))), "officer"));
            assertEquals(RefusalCode.OPENING_STOCK_ALREADY_DECLARED, refusalCode(twice.apply(
                    new OpeningStockDeclared(Site.ID, "HVO", List.of(batch("OLD-B", "5", hvo("SE"))), "officer"))));
        }

        @Test
        void R11_a_batch_that_reached_zero_and_was_not_carried_takes_a_new_place_after_the_opening_stock() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))),
                    in("I2", "2025-01-06", "HVO", "10", batch("B", "10", hvo("DE"))),
                    out("O1", "2025-01-07", "HVO", "10", claim("10")),
                    close("2025-01"),
                    in("I3", "2025-02-02", "HVO", "10", batch("A", "10", hvo("NL"))));
            Applied applied = site.apply(out("O2", "2025-02-03", "HVO", "12", claim("12")));
            List<Portion> portions = applied.effects(Effect.Booked.class).get(0).portions();
            assertEquals(List.of("B", "A"), portions.stream().map(Portion::batchId).toList(), "opening stock B first, then A");
            assertAmount("10", portions.get(0).amount());
            assertAmount("2", portions.get(1).amount());
        }

        @Test
        void R11_a_batch_received_again_keeps_its_place_while_it_is_in_the_open_periods_accounts() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))),
                    in("I2", "2025-01-06", "HVO", "10", batch("B", "10", hvo("DE"))),
                    out("O1", "2025-01-07", "HVO", "10", claim("10")),
                    in("I3", "2025-01-08", "HVO", "4", batch("A", "4", hvo("NL"))));
            Applied applied = site.apply(out("O2", "2025-01-09", "HVO", "5", claim("5")));
            List<Portion> portions = applied.effects(Effect.Booked.class).get(0).portions();
            assertEquals(List.of("A", "B"), portions.stream().map(Portion::batchId).toList(), "A drew to zero but is in January's accounts");
            assertAmount("4", portions.get(0).amount());
        }

        @Test
        void a_named_batch_is_drawn_from_that_batch_only() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))),
                    in("I2", "2025-01-06", "HVO", "10", batch("B", "10", hvo("DE"))));
            Applied applied = site.apply(out("O1", "2025-01-07", "HVO", "15", claim("B", "15")));
            Effect.Booked booked = applied.effects(Effect.Booked.class).get(0);
            assertEquals(List.of("B"), booked.portions().stream().map(Portion::batchId).toList());
            assertAmount("5", booked.open());
        }

        @Test
        void under_EXPLICIT_allocation_every_claim_names_its_batch() {
            Site site = new Site().given(config(1, "2025-01", null, null, AllocationPolicy.EXPLICIT, List.of(), "HVO"));
            assertEquals(RefusalCode.ALLOCATION_BATCH_REQUIRED, refusalCode(site.apply(out("O1", "2025-01-03", "HVO", "30", claim("30")))));
        }

        @Test
        void later_inbound_covers_open_claims_in_log_order_oldest_first() {
            Site site = Site.monthly().given(
                    out("O1", "2025-01-03", "HVO", "10", claim("10")),
                    out("O2", "2025-01-04", "HVO", "10", claim("10")));
            Applied applied = site.apply(in("I1", "2025-01-05", "HVO", "15", batch("A", "15")));
            List<Effect.ClaimCovered> covered = applied.effects(Effect.ClaimCovered.class);
            assertEquals(List.of("O1", "O2"), covered.stream().map(Effect.ClaimCovered::deliveryId).toList());
            assertAmount("10", covered.get(0).portions().get(0).amount());
            assertAmount("5", covered.get(1).portions().get(0).amount());
            assertAmount("5", covered.get(1).stillOpen());
        }

        @Test
        void a_claim_naming_a_batch_is_covered_only_by_that_batch() {
            Site site = Site.monthly().given(out("O1", "2025-01-03", "HVO", "10", claim("B", "10")));
            Applied other = site.apply(in("I1", "2025-01-04", "HVO", "10", batch("A", "10")));
            assertTrue(other.effects(Effect.ClaimCovered.class).isEmpty());
            Applied named = site.apply(in("I2", "2025-01-05", "HVO", "10", batch("B", "10", hvo("DE"))));
            assertEquals("B", named.effects(Effect.ClaimCovered.class).get(0).portions().get(0).batchId());
        }
    }

    @Nested
    @DisplayName("R-12 Carry-forward / R-13 No negative carried forward / R-14 Conservation")
    class R12R13R14 {
        @Test
        void surplus_is_carried_batch_by_batch_with_characteristics_unchanged_and_zero_batches_are_not() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))),
                    in("I2", "2025-01-06", "HVO", "10", batch("B", "10", hvo("DE"))),
                    out("O1", "2025-01-07", "HVO", "10", claim("10")),
                    close("2025-01"));
            PeriodResult.ProductBalance feb = site.balance("2025-02").product("HVO");
            assertEquals(List.of("B"), feb.batches().stream().map(PeriodResult.BatchBalance::batchId).toList());
            assertAmount("10", batchLine(feb, "B").opening());
            assertEquals(hvo("DE"), batchLine(feb, "B").characteristics());
        }

        @Test
        void a_shortfall_is_never_carried_and_its_claims_become_uncovered_with_a_MINOR_deviation() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10")),
                    out("O1", "2025-01-07", "HVO", "25", claim("25")));
            Applied closing = site.apply(close("2025-01"));
            PeriodResult.ProductBalance jan = closing.effects(Effect.PeriodClosed.class).get(0).result().product("HVO");
            assertAmount("25", jan.claimed());
            assertAmount("10", jan.out());
            assertAmount("15", jan.uncovered());
            assertAmount("0", jan.closing());
            assertEquals(List.of("O1"), jan.uncoveredDeliveries());
            Deviation d = closing.effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(Deviation.Rule.NEGATIVE_BALANCE_AT_PERIOD_END, d.rule());
            assertEquals(DeviationClass.MINOR, d.deviationClass());
            assertAmount("15", d.quantity());
            PeriodResult.ProductBalance feb = site.balance("2025-02").product("HVO");
            assertAmount("0", feb.opening());
            assertAmount("0", feb.open());
            // the uncovered claim is gone: February's inbound stays on hand
            site.given(in("I2", "2025-02-02", "HVO", "20", batch("B", "20")));
            assertAmount("20", site.balance("2025-02").product("HVO").closing());
        }

        @Test
        void R13_the_uncovered_quantity_is_shown_on_each_outbound_that_left_it() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10")),
                    out("O1", "2025-01-06", "HVO", "8", claim("8")),
                    out("O2", "2025-01-07", "HVO", "6", claim("6")),
                    out("O3", "2025-01-08", "HVO", "3", claim("A", "3")));
            Applied closing = site.apply(close("2025-01"));
            List<Effect.Uncovered> uncovered = closing.effects(Effect.Uncovered.class);
            assertEquals(List.of("O2", "O3"), uncovered.stream().map(Effect.Uncovered::deliveryId).toList());
            assertAmount("4", uncovered.get(0).amount());
            assertEquals(null, uncovered.get(0).batchId());
            assertAmount("3", uncovered.get(1).amount());
            assertEquals("A", uncovered.get(1).batchId(), "a claim naming its batch says which");
            PeriodResult.ProductBalance jan = closing.effects(Effect.PeriodClosed.class).get(0).result().product("HVO");
            assertAmount(uncovered.stream().map(Effect.Uncovered::amount).reduce(java.math.BigDecimal.ZERO,
                    java.math.BigDecimal::add).toPlainString(), jan.uncovered());
        }

        @Test
        void every_batch_drawn_at_most_opening_plus_received_at_close() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10")),
                    out("O1", "2025-01-06", "HVO", "8", claim("8")),
                    out("O2", "2025-01-07", "HVO", "8", claim("A", "8")),
                    close("2025-01"));
            PeriodResult.BatchBalance a = batchLine(site.ledger.closedPeriods().get(0).product("HVO"), "A");
            assertTrue(a.out().compareTo(a.opening().add(a.in())) <= 0);
            assertAmount("10", a.out());
        }
    }

    @Nested
    @DisplayName("R-15 Closed is closed")
    class R15 {
        @Test
        void a_delivery_dated_in_a_closed_period_is_booked_in_the_first_open_one_flagged_with_an_observation() {
            Site site = Site.monthly().given(close("2025-01"));
            Applied applied = site.apply(in("I1", "2025-01-20", "HVO", "10", batch("A", "10")));
            Effect.Booked booked = applied.effects(Effect.Booked.class).get(0);
            assertTrue(booked.late());
            assertEquals(java.time.YearMonth.of(2025, 2), booked.periodId());
            assertEquals(java.time.YearMonth.of(2025, 1), booked.datedPeriod());
            Deviation d = applied.effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(Deviation.Rule.LATE_POSTING, d.rule());
            assertEquals(DeviationClass.OBSERVATION, d.deviationClass());
            assertAmount("0", site.ledger.closedPeriods().get(0).products().stream()
                    .map(PeriodResult.ProductBalance::in).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add));
        }

        @Test
        void reversing_an_outbound_returns_its_portions_and_drops_its_open_claim() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10")),
                    out("O1", "2025-01-06", "HVO", "15", claim("15")));
            Applied applied = site.apply(reversal("O1"));
            assertAmount("10", applied.effects(Effect.Reversed.class).get(0).returned().get(0).amount());
            PeriodResult.ProductBalance hvo = site.balance("2025-01").product("HVO");
            assertAmount("0", hvo.out());
            assertAmount("0", hvo.claimed());
            assertAmount("0", hvo.open());
            assertAmount("10", hvo.closing());
        }

        @Test
        void reversing_an_inbound_whose_quantity_was_drawn_is_refused() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "10", batch("A", "10")),
                    out("O1", "2025-01-06", "HVO", "5", claim("5")));
            assertEquals(RefusalCode.REVERSAL_INBOUND_DRAWN, refusalCode(site.apply(reversal("I1"))));
            site.given(reversal("O1"), reversal("I1"));
            assertTrue(site.ledger.stock().isEmpty());
        }

        @Test
        void a_delivery_of_a_closed_period_cannot_be_reversed() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10", batch("A", "10")), close("2025-01"));
            assertEquals(RefusalCode.REVERSAL_PERIOD_CLOSED, refusalCode(site.apply(reversal("I1"))));
        }

        @Test
        void unknown_and_repeated_reversals_are_refused() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10"));
            assertEquals(RefusalCode.DELIVERY_UNKNOWN, refusalCode(site.apply(reversal("nope"))));
            site.given(reversal("I1"));
            assertEquals(RefusalCode.DELIVERY_ALREADY_REVERSED, refusalCode(site.apply(reversal("I1"))));
        }

        @Test
        void a_pending_delivery_can_be_reversed_before_it_is_drawn() {
            Site site = Site.monthly().given(out("O1", "2025-02-05", "HVO", "10", claim("10")), reversal("O1"));
            assertTrue(site.ledger.pendingDeliveries().isEmpty());
            assertTrue(site.apply(close("2025-01")).effects(Effect.Booked.class).isEmpty());
        }

        @Test
        void the_same_delivery_id_twice_is_refused() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10"));
            assertEquals(RefusalCode.DUPLICATE_DELIVERY, refusalCode(site.apply(in("I1", "2025-01-05", "HVO", "10"))));
        }
    }
}
