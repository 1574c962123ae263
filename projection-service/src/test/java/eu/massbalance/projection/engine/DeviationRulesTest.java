package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.batch;
import static eu.massbalance.projection.engine.Site.batchLine;
import static eu.massbalance.projection.engine.Site.certificate;
import static eu.massbalance.projection.engine.Site.claim;
import static eu.massbalance.projection.engine.Site.close;
import static eu.massbalance.projection.engine.Site.hvo;
import static eu.massbalance.projection.engine.Site.in;
import static eu.massbalance.projection.engine.Site.inFrom;
import static eu.massbalance.projection.engine.Site.out;
import static eu.massbalance.projection.engine.Site.refusalCode;
import static eu.massbalance.projection.engine.Site.revoked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.DeviationClosed;
import eu.massbalance.contracts.event.DeviationReclassified;
import eu.massbalance.contracts.event.InboundDelivery;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Deviations (R-16 … R-19)")
class DeviationRulesTest {

    static Site shortEveryMonth(String... months) {
        Site site = Site.monthly();
        for (String month : months) {
            site.given(out("O-" + month, month + "-10", "HVO", "5", claim("5")), close(month));
        }
        return site;
    }

    @Nested
    @DisplayName("R-16 Classes")
    class R16 {
        @Test
        void inbound_from_a_supplier_without_a_valid_certificate_is_MAJOR_and_booked_non_sustainable() {
            Site site = Site.monthly();
            Applied applied = site.apply(inFrom("unknown-supplier", "I1", "2025-01-05", "30", batch("A", "30")));
            Effect.Booked booked = applied.effects(Effect.Booked.class).get(0);
            assertAmount("0", booked.sustainable());
            assertAmount("30", booked.nonSustainable());
            Deviation d = applied.effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(Deviation.Rule.SUPPLIER_NOT_COVERED, d.rule());
            assertEquals(DeviationClass.MAJOR, d.deviationClass());
            assertEquals(List.of("I1"), d.deliveries());
            assertTrue(site.ledger.stock().isEmpty());
        }

        @Test
        void a_certificate_revoked_before_the_delivery_date_does_not_cover_it() {
            Site site = Site.monthly().given(
                    certificate("trader", "T-1", "2024-01-01", "2026-12-31"),
                    revoked("trader", "T-1", "2025-01-15"));
            Applied before = site.apply(inFrom("trader", "I1", "2025-01-14", "10", batch("A", "10")));
            assertTrue(before.effects(Effect.DeviationRaised.class).isEmpty());
            Applied after = site.apply(inFrom("trader", "I2", "2025-01-15", "10", batch("B", "10")));
            assertEquals(Deviation.Rule.SUPPLIER_NOT_COVERED, after.effects(Effect.DeviationRaised.class).get(0).deviation().rule());
        }

        @Test
        void a_certificate_outside_its_validity_does_not_cover() {
            Site site = Site.monthly().given(certificate("trader", "T-1", "2025-02-01", "2025-12-31"));
            Applied applied = site.apply(inFrom("trader", "I1", "2025-01-20", "10", batch("A", "10")));
            assertEquals(DeviationClass.MAJOR, applied.effects(Effect.DeviationRaised.class).get(0).deviation().deviationClass());
        }

        @Test
        void R16_a_revocation_dated_before_booked_deliveries_raises_a_MAJOR_deviation_per_period_listing_them() {
            Site site = Site.monthly().given(
                    certificate("trader", "T-1", "2024-01-01", "2026-12-31"),
                    inFrom("trader", "I1", "2025-01-10", "10", batch("A", "10")),
                    close("2025-01"),
                    inFrom("trader", "I2", "2025-02-05", "5", batch("B", "5", hvo("DE"))),
                    out("O1", "2025-02-06", "HVO", "3", claim("3")));
            PeriodResult januaryBefore = site.balance("2025-01");
            Applied revocation = site.apply(revoked("trader", "T-1", "2025-01-01"));
            List<Deviation> raised = revocation.effects(Effect.DeviationRaised.class).stream()
                    .map(Effect.DeviationRaised::deviation).toList();
            assertEquals(List.of("2025-01", "2025-02"), raised.stream().map(d -> d.periodId().toString()).toList());
            assertTrue(raised.stream().allMatch(d -> d.rule() == Deviation.Rule.SUPPLIER_NOT_COVERED
                    && d.deviationClass() == DeviationClass.MAJOR));
            assertEquals(List.of("I1"), raised.get(0).deliveries());
            assertEquals(List.of("I1/A"), raised.get(0).batches().stream().map(a -> a.deliveryId() + "/" + a.batchId()).toList());
            assertAmount("10", raised.get(0).batches().get(0).quantity());
            assertAmount("10", raised.get(0).quantity());
            assertEquals(List.of("I2/B"), raised.get(1).batches().stream().map(a -> a.deliveryId() + "/" + a.batchId()).toList());
            assertAmount("5", raised.get(1).batches().get(0).quantity());
            assertEquals(januaryBefore, site.balance("2025-01"), "R-15: a closed period never changes");
        }

        @Test
        void R16_what_is_still_on_hand_of_the_revoked_batches_is_no_longer_drawable_as_sustainable() {
            Site site = Site.monthly().given(
                    certificate("trader", "T-1", "2024-01-01", "2026-12-31"),
                    inFrom("trader", "I1", "2025-01-10", "10", batch("A", "10")),
                    close("2025-01"),
                    inFrom("trader", "I2", "2025-02-05", "5", batch("B", "5", hvo("DE"))),
                    in("I3", "2025-02-05", "HVO", "4", batch("C", "4", hvo("SE"))),
                    out("O1", "2025-02-06", "HVO", "3", claim("3")));
            Applied revocation = site.apply(revoked("trader", "T-1", "2025-01-01"));
            List<Effect.Disqualified> disqualified = revocation.effects(Effect.Disqualified.class);
            assertEquals(List.of("A", "B"), disqualified.stream().map(Effect.Disqualified::batchId).toList());
            assertAmount("7", disqualified.get(0).amount());
            assertAmount("5", disqualified.get(1).amount());
            PeriodResult.ProductBalance feb = site.balance("2025-02").product("HVO");
            assertAmount("12", feb.disqualified());
            assertAmount("4", feb.closing());
            assertAmount("7", batchLine(feb, "A").disqualified());
            assertAmount("0", batchLine(feb, "A").closing());
            Effect.Booked next = site.apply(out("O2", "2025-02-07", "HVO", "6", claim("6"))).effects(Effect.Booked.class).get(0);
            assertEquals(List.of("C"), next.portions().stream().map(Portion::batchId).toList());
            assertAmount("2", next.open());
        }

        @Test
        void R16_a_revocation_dated_after_the_deliveries_changes_nothing_booked() {
            Site site = Site.monthly().given(
                    certificate("trader", "T-1", "2024-01-01", "2026-12-31"),
                    inFrom("trader", "I1", "2025-01-10", "10", batch("A", "10")));
            Applied revocation = site.apply(revoked("trader", "T-1", "2025-01-11"));
            assertTrue(revocation.effects(Effect.DeviationRaised.class).isEmpty());
            assertTrue(revocation.effects(Effect.Disqualified.class).isEmpty());
            assertAmount("10", site.ledger.stock().get(0).onHand());
        }

        @Test
        void R16_a_delivery_still_covered_by_another_certificate_is_not_affected_and_none_is_raised_twice() {
            Site site = Site.monthly().given(
                    certificate("trader", "T-1", "2024-01-01", "2026-12-31"),
                    certificate("trader", "T-2", "2025-01-01", "2026-12-31"),
                    inFrom("trader", "I1", "2025-01-10", "10", batch("A", "10")));
            assertTrue(site.apply(revoked("trader", "T-1", "2025-01-01")).effects(Effect.DeviationRaised.class).isEmpty());
            Applied second = site.apply(revoked("trader", "T-2", "2025-01-01"));
            assertEquals(1, second.effects(Effect.DeviationRaised.class).size());
            site.given(certificate("trader", "T-3", "2020-01-01", null));
            assertTrue(site.apply(revoked("trader", "T-3", "2020-01-01")).effects(Effect.DeviationRaised.class).isEmpty(),
                    "I1 was raised once already");
        }

        @Test
        void revoking_an_unknown_certificate_is_refused() {
            assertEquals(RefusalCode.CERTIFICATE_UNKNOWN, refusalCode(Site.monthly().apply(revoked("trader", "nope", "2025-01-01"))));
        }

        @Test
        void a_delivery_without_its_transport_document_is_an_OBSERVATION() {
            Site site = Site.monthly();
            InboundDelivery noDocument = new InboundDelivery(Site.ID, "I1", Site.at("2025-01-05"), "HVO",
                    Quantity.of("10", Unit.M3), Site.SUPPLIER, null, List.of(), null, null);
            Deviation d = site.apply(noDocument).effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(Deviation.Rule.TRANSPORT_DOCUMENT_MISSING, d.rule());
            assertEquals(DeviationClass.OBSERVATION, d.deviationClass());
        }

        @Test
        void deviation_ids_derive_from_site_period_rule_and_cause() {
            Site first = shortEveryMonth("2025-01");
            Site second = shortEveryMonth("2025-01");
            assertEquals(first.ledger.deviations().get(0).deviationId(), second.ledger.deviations().get(0).deviationId());
        }
    }

    @Nested
    @DisplayName("R-17 Upgrade on repetition")
    class R17 {
        @Test
        void the_second_negative_balance_within_twelve_months_is_MAJOR() {
            Site site = shortEveryMonth("2025-01", "2025-02");
            List<Deviation> deviations = site.ledger.deviations();
            assertEquals(DeviationClass.MINOR, deviations.get(0).deviationClass());
            assertNull(deviations.get(0).upgradedFrom());
            assertEquals(DeviationClass.MAJOR, deviations.get(1).deviationClass());
            assertEquals(DeviationClass.MINOR, deviations.get(1).upgradedFrom());
        }

        @Test
        void occurrences_more_than_twelve_months_apart_are_not_repetitions() {
            Site site = Site.monthly().given(out("O1", "2025-01-10", "HVO", "5", claim("5")), close("2025-01"));
            for (int m = 2; m <= 13; m++) {
                site.given(close(java.time.YearMonth.of(2025, 1).plusMonths(m - 1).toString()));
            }
            site.given(out("O2", "2026-02-10", "HVO", "5", claim("5")), close("2026-02"));
            assertEquals(DeviationClass.MINOR, site.ledger.deviations().get(1).deviationClass());
        }

        @Test
        void repeated_observations_become_MINOR_on_another_occasion() {
            Site site = Site.monthly().given(noTransportDocument("I1", "2025-01-05"), close("2025-01"));
            Deviation d = site.apply(noTransportDocument("I2", "2025-02-06")).effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(DeviationClass.MINOR, d.deviationClass());
            assertEquals(DeviationClass.OBSERVATION, d.upgradedFrom());
        }

        @Test
        void R17_occurrences_in_the_same_period_are_one_occasion_and_keep_their_class() {
            Site site = Site.monthly();
            site.given(noTransportDocument("I1", "2025-01-05"));
            Deviation second = site.apply(noTransportDocument("I2", "2025-01-06")).effects(Effect.DeviationRaised.class).get(0)
                    .deviation();
            assertEquals(DeviationClass.OBSERVATION, second.deviationClass());
            assertNull(second.upgradedFrom());
        }

        @Test
        void R17_two_products_short_at_one_period_end_are_two_MINOR_deviations() {
            Site site = Site.monthly().given(
                    out("O1", "2025-01-10", "HVO", "5", claim("5")),
                    out("O2", "2025-01-11", "FAME", "5", claim("5")));
            List<Deviation> raised = site.apply(close("2025-01")).effects(Effect.DeviationRaised.class).stream()
                    .map(Effect.DeviationRaised::deviation).toList();
            assertEquals(2, raised.size());
            assertEquals(List.of(DeviationClass.MINOR, DeviationClass.MINOR), raised.stream().map(Deviation::deviationClass).toList());
        }

        @Test
        void R17_two_late_postings_in_one_period_are_two_OBSERVATIONS() {
            Site site = Site.monthly().given(close("2025-01"));
            List<Deviation> late = new java.util.ArrayList<>();
            for (String id : List.of("L1", "L2")) {
                site.apply(in(id, "2025-01-20", "HVO", "5")).effects(Effect.DeviationRaised.class).stream()
                        .map(Effect.DeviationRaised::deviation).filter(d -> d.rule() == Deviation.Rule.LATE_POSTING).forEach(late::add);
            }
            assertEquals(List.of(DeviationClass.OBSERVATION, DeviationClass.OBSERVATION),
                    late.stream().map(Deviation::deviationClass).toList());
        }

        @Test
        void R17_the_window_is_the_sites_policy_counted_from_the_start_of_the_earlier_period() {
            Site site = new Site().given(new eu.massbalance.contracts.event.SiteConfigured(Site.ID, "d", "o", null, 1,
                    java.time.YearMonth.of(2025, 1), null, List.of(new eu.massbalance.contracts.event.SiteConfigured.ProductConfig("HVO",
                    Unit.M3)), List.of(), null, null, new eu.massbalance.contracts.event.SiteConfigured.EscalationPolicy(2, 3), null));
            site.given(out("O1", "2025-01-10", "HVO", "5", claim("5")), close("2025-01"), close("2025-02"), close("2025-03"));
            site.given(out("O2", "2025-04-10", "HVO", "5", claim("5")));
            Deviation april = site.apply(close("2025-04")).effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(DeviationClass.MAJOR, april.deviationClass(), "January began 3 months before April");
            site.given(close("2025-05"), close("2025-06"), close("2025-07"), out("O3", "2025-08-10", "HVO", "5", claim("5")));
            Deviation august = site.apply(close("2025-08")).effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(DeviationClass.MINOR, august.deviationClass(), "April began 4 months before August: outside the window");
        }
    }

    static InboundDelivery noTransportDocument(String id, String date) {
        return new InboundDelivery(Site.ID, id, Site.at(date), "HVO", Quantity.of("10", Unit.M3), Site.SUPPLIER, null, List.of(),
                null, null);
    }

    @Nested
    @DisplayName("R-18 Major deviations: OPEN → ACTION_PLANNED → CLOSED")
    class R18 {
        @Test
        void a_major_deviation_closes_only_after_its_action_plan() {
            Site site = Site.monthly();
            site.apply(inFrom("unknown", "I1", "2025-01-05", "10", batch("A", "10")));
            String id = site.ledger.deviations().get(0).deviationId();
            assertEquals(RefusalCode.ACTION_PLAN_REQUIRED, refusalCode(site.apply(new DeviationClosed(Site.ID, id, "done", "officer"))));
            site.given(new DeviationActionPlanned(Site.ID, id, "Contract only certified suppliers", "officer"));
            assertEquals(Deviation.Status.ACTION_PLANNED, site.ledger.deviation(id).orElseThrow().status());
            site.given(new DeviationClosed(Site.ID, id, "Supplier replaced", "officer"));
            Deviation closed = site.ledger.deviation(id).orElseThrow();
            assertEquals(Deviation.Status.CLOSED, closed.status());
            assertEquals(3, closed.history().size());
            assertEquals(RefusalCode.DEVIATION_CLOSED, refusalCode(site.apply(new DeviationActionPlanned(Site.ID, id, "again", "officer"))));
        }

        @Test
        void reclassification_needs_a_written_reason_and_is_kept_in_the_history() {
            Site site = shortEveryMonth("2025-01");
            String id = site.ledger.deviations().get(0).deviationId();
            assertEquals(RefusalCode.REASON_REQUIRED,
                    refusalCode(site.apply(new DeviationReclassified(Site.ID, id, DeviationClass.OBSERVATION, " ", "officer"))));
            site.given(new DeviationReclassified(Site.ID, id, DeviationClass.OBSERVATION, "Boat delayed by ice", "officer"));
            Deviation d = site.ledger.deviation(id).orElseThrow();
            assertEquals(DeviationClass.OBSERVATION, d.deviationClass());
            assertTrue(d.history().get(1).contains("Boat delayed by ice"));
        }

        @Test
        void unknown_deviations_are_refused() {
            assertEquals(RefusalCode.DEVIATION_UNKNOWN,
                    refusalCode(Site.monthly().apply(new DeviationActionPlanned(Site.ID, "nope", "plan", "officer"))));
        }
    }

    @Nested
    @DisplayName("Stock counts: a physical count against the book stock")
    class StockCounts {
        static eu.massbalance.contracts.event.StockCounted count(String amount, String unit) {
            return new eu.massbalance.contracts.event.StockCounted(Site.ID, "HVO", Quantity.of(amount, Unit.fromSymbol(unit).orElseThrow()),
                    Site.at("2025-01-20"), "DIP", null, "officer");
        }

        /** 200 m3 in, 50 out (sustainable or not, the count sees all of it): the books say 150. */
        Site withBookStock() {
            return Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "200", batch("A", "120")),
                    out("O1", "2025-01-10", "HVO", "50", claim("30")));
        }

        List<Deviation> raised(Site site, eu.massbalance.contracts.event.StockCounted count) {
            return site.apply(count).effects(Effect.DeviationRaised.class).stream().map(Effect.DeviationRaised::deviation).toList();
        }

        @Test
        void a_count_within_half_a_percent_of_the_book_stock_raises_nothing() {
            assertEquals(List.of(), raised(withBookStock(), count("150.75", "m3")), "0.5 % of 150 is 0.75: at the tolerance");
            assertEquals(List.of(), raised(withBookStock(), count("149250", "l")), "in litres, converted");
        }

        @Test
        void a_count_beyond_the_tolerance_is_an_OBSERVATION_STOCK_COUNT_DIFFERENCE_with_the_difference() {
            List<Deviation> raised = raised(withBookStock(), count("148", "m3"));
            assertEquals(1, raised.size());
            assertEquals(Deviation.Rule.STOCK_COUNT_DIFFERENCE, raised.get(0).rule());
            assertEquals(DeviationClass.OBSERVATION, raised.get(0).deviationClass());
            assertAmount("-2", raised.get(0).quantity());
        }

        @Test
        void the_tolerance_is_the_sites_and_reversals_and_outbounds_move_the_book_stock() {
            Site wide = new Site().given(Site.config(1, "2025-01", null, eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy
                            .ALLOW_WITHIN_PERIOD, eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy.FIFO, List.of(), "HVO")
                            .withStockCountTolerance(new java.math.BigDecimal("2")),
                    certificate(Site.SUPPLIER, "CERT-1", "2020-01-01", "2030-12-31"),
                    in("I1", "2025-01-05", "HVO", "200", batch("A", "120")),
                    out("O1", "2025-01-10", "HVO", "50", claim("30")));
            assertEquals(List.of(), raised(wide, count("148", "m3")), "2 % of 150 is 3");
            Site reversed = withBookStock().given(new eu.massbalance.contracts.event.DeliveryReversed(Site.ID, "O1", "wrong truck",
                    "officer"));
            assertEquals(List.of(), raised(reversed, count("200", "m3")), "the reversed outbound is back in the books");
        }

        @Test
        void the_second_count_difference_in_a_later_period_escalates() {
            Site site = withBookStock();
            raised(site, count("140", "m3"));
            site.given(close("2025-01"));
            List<Deviation> again = site.apply(new eu.massbalance.contracts.event.StockCounted(Site.ID, "HVO", Quantity.of("130", Unit.M3),
                    Site.at("2025-02-20"), "DIP", null, "officer")).effects(Effect.DeviationRaised.class).stream()
                    .map(Effect.DeviationRaised::deviation).toList();
            assertEquals(1, again.size());
            assertEquals(DeviationClass.MINOR, again.get(0).deviationClass(), "R-17: the same rule again on another occasion");
        }
    }

    @Nested
    @DisplayName("R-19 GHG threshold")
    class R19 {
        @Test
        void an_installation_from_before_2015_10_05_needs_a_50_percent_saving() {
            Site site = Site.monthly();
            // 83.8 × 0.5 = 41.9 gCO2e/MJ is the ceiling
            Applied ok = site.apply(in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL", "41.9"))));
            assertTrue(ok.effects(Effect.BatchRefused.class).isEmpty());
            Applied fails = site.apply(in("I2", "2025-01-05", "HVO", "10", batch("B", "10", hvo("NL", "42.0"))));
            assertEquals(RefusalCode.GHG_SAVING_BELOW_THRESHOLD, fails.effects(Effect.BatchRefused.class).get(0).code());
            assertAmount("10", fails.effects(Effect.Booked.class).get(0).nonSustainable());
        }

        @Test
        void an_installation_started_after_2015_10_05_needs_a_60_percent_saving() {
            Site site = Site.monthly();
            var newPlant = hvo("NL", "34.0").with("installationStart", "2016-01-01");
            Applied applied = site.apply(in("I1", "2025-01-05", "HVO", "10", batch("A", "10", newPlant)));
            assertEquals(RefusalCode.GHG_SAVING_BELOW_THRESHOLD, applied.effects(Effect.BatchRefused.class).get(0).code());
            assertTrue(site.ledger.stock().isEmpty());
            Applied passes = site.apply(in("I2", "2025-01-05", "HVO", "10", batch("B", "10", newPlant.with("ghgEmissions",
                    eu.massbalance.contracts.Measure.of("33.52", "gCO2e/MJ")))));
            assertTrue(passes.effects(Effect.BatchRefused.class).isEmpty());
        }
    }
}
