package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.batch;
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
        void revoking_an_unknown_certificate_is_refused() {
            assertEquals("CERTIFICATE_UNKNOWN", refusalCode(Site.monthly().apply(revoked("trader", "nope", "2025-01-01"))));
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
        void repeated_observations_become_MINOR() {
            Site site = Site.monthly();
            site.apply(new InboundDelivery(Site.ID, "I1", Site.at("2025-01-05"), "HVO", Quantity.of("10", Unit.M3), Site.SUPPLIER,
                    "", List.of(), null, null));
            Applied second = site.apply(new InboundDelivery(Site.ID, "I2", Site.at("2025-01-06"), "HVO",
                    Quantity.of("10", Unit.M3), Site.SUPPLIER, null, List.of(), null, null));
            Deviation d = second.effects(Effect.DeviationRaised.class).get(0).deviation();
            assertEquals(DeviationClass.MINOR, d.deviationClass());
            assertEquals(DeviationClass.OBSERVATION, d.upgradedFrom());
        }
    }

    @Nested
    @DisplayName("R-18 Major deviations: OPEN → ACTION_PLANNED → CLOSED")
    class R18 {
        @Test
        void a_major_deviation_closes_only_after_its_action_plan() {
            Site site = Site.monthly();
            site.apply(inFrom("unknown", "I1", "2025-01-05", "10", batch("A", "10")));
            String id = site.ledger.deviations().get(0).deviationId();
            assertEquals("ACTION_PLAN_REQUIRED", refusalCode(site.apply(new DeviationClosed(Site.ID, id, "done", "officer"))));
            site.given(new DeviationActionPlanned(Site.ID, id, "Contract only certified suppliers", "officer"));
            assertEquals(Deviation.Status.ACTION_PLANNED, site.ledger.deviation(id).orElseThrow().status());
            site.given(new DeviationClosed(Site.ID, id, "Supplier replaced", "officer"));
            Deviation closed = site.ledger.deviation(id).orElseThrow();
            assertEquals(Deviation.Status.CLOSED, closed.status());
            assertEquals(3, closed.history().size());
            assertEquals("DEVIATION_CLOSED", refusalCode(site.apply(new DeviationActionPlanned(Site.ID, id, "again", "officer"))));
        }

        @Test
        void reclassification_needs_a_written_reason_and_is_kept_in_the_history() {
            Site site = shortEveryMonth("2025-01");
            String id = site.ledger.deviations().get(0).deviationId();
            assertEquals("REASON_REQUIRED",
                    refusalCode(site.apply(new DeviationReclassified(Site.ID, id, DeviationClass.OBSERVATION, " ", "officer"))));
            site.given(new DeviationReclassified(Site.ID, id, DeviationClass.OBSERVATION, "Boat delayed by ice", "officer"));
            Deviation d = site.ledger.deviation(id).orElseThrow();
            assertEquals(DeviationClass.OBSERVATION, d.deviationClass());
            assertTrue(d.history().get(1).contains("Boat delayed by ice"));
        }

        @Test
        void unknown_deviations_are_refused() {
            assertEquals("DEVIATION_UNKNOWN",
                    refusalCode(Site.monthly().apply(new DeviationActionPlanned(Site.ID, "nope", "plan", "officer"))));
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
            assertEquals("GHG_SAVING_BELOW_THRESHOLD", fails.effects(Effect.BatchRefused.class).get(0).code());
            assertAmount("10", fails.effects(Effect.Booked.class).get(0).nonSustainable());
        }

        @Test
        void an_installation_started_after_2015_10_05_needs_a_60_percent_saving() {
            Site site = Site.monthly();
            var newPlant = hvo("NL", "34.0").with("installationStart", "2016-01-01");
            Applied applied = site.apply(in("I1", "2025-01-05", "HVO", "10", batch("A", "10", newPlant)));
            assertEquals("GHG_SAVING_BELOW_THRESHOLD", applied.effects(Effect.BatchRefused.class).get(0).code());
            assertTrue(site.ledger.stock().isEmpty());
            Applied passes = site.apply(in("I2", "2025-01-05", "HVO", "10", batch("B", "10", newPlant.with("ghgEmissions",
                    eu.massbalance.contracts.Measure.of("33.52", "gCO2e/MJ")))));
            assertTrue(passes.effects(Effect.BatchRefused.class).isEmpty());
        }
    }
}
