package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.batch;
import static eu.massbalance.projection.engine.Site.batchLine;
import static eu.massbalance.projection.engine.Site.claim;
import static eu.massbalance.projection.engine.Site.hvo;
import static eu.massbalance.projection.engine.Site.in;
import static eu.massbalance.projection.engine.Site.out;
import static eu.massbalance.projection.engine.Site.refusalCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.event.BatchesMerged;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Batches and characteristics (R-01 … R-05)")
class BatchRulesTest {

    @Nested
    @DisplayName("R-01 Batch")
    class R01 {
        @Test
        void one_delivery_holds_several_batches_and_the_rest_is_non_sustainable() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "100", batch("A", "30", hvo("NL")), batch("B", "50", hvo("DE"))));
            PeriodResult.ProductBalance hvo = site.balance("2025-01").product("HVO");
            assertAmount("80", hvo.in());
            assertAmount("20", hvo.nonSustainableIn());
            assertAmount("30", batchLine(hvo, "A").in());
            assertAmount("50", batchLine(hvo, "B").in());
        }

        @Test
        void the_same_batch_id_with_identical_characteristics_adds_to_the_batch() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", hvo("NL"))),
                    in("I2", "2025-01-06", "HVO", "20", batch("A", "20", hvo("NL"))));
            PeriodResult.ProductBalance hvo = site.balance("2025-01").product("HVO");
            assertEquals(1, hvo.batches().size());
            assertAmount("50", batchLine(hvo, "A").closing());
        }

        @Test
        void the_same_batch_id_with_other_characteristics_is_refused_and_changes_nothing() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "30", batch("A", "30", hvo("NL", "14.2"))));
            SiteLedger.Snapshot before = site.ledger.snapshot();
            Applied applied = site.apply(in("I2", "2025-01-06", "HVO", "20", batch("A", "20", hvo("NL", "15.0"))));
            assertEquals(RefusalCode.BATCH_CHARACTERISTICS_CONFLICT, refusalCode(applied));
            assertEquals(before.stock(), site.ledger.snapshot().stock());
            assertEquals(before.current(), site.ledger.snapshot().current());
        }

        @Test
        void a_batch_id_of_another_product_is_refused() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "30", batch("A", "30")));
            assertEquals(RefusalCode.BATCH_PRODUCT_CONFLICT, refusalCode(site.apply(in("I2", "2025-01-06", "FAME", "20", batch("A", "20")))));
        }

        @Test
        void equal_measures_written_differently_are_the_same_characteristics() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", hvo("NL", "14.2"))),
                    in("I2", "2025-01-06", "HVO", "20", batch("A", "20", hvo("NL", "14.20"))));
            assertAmount("50", site.ledger.stock().get(0).onHand());
        }
    }

    @Nested
    @DisplayName("R-02 Characteristics")
    class R02 {
        @Test
        void a_sustainable_batch_without_characteristics_is_refused() {
            Site site = Site.monthly();
            assertEquals(RefusalCode.CHARACTERISTICS_REQUIRED, refusalCode(site.apply(in("I1", "2025-01-05", "HVO", "30", batch("A", "30", null)))));
        }

        @Test
        void a_sustainable_batch_without_an_id_is_refused() {
            Site site = Site.monthly();
            assertEquals(RefusalCode.BATCH_ID_REQUIRED, refusalCode(site.apply(in("I1", "2025-01-05", "HVO", "30", batch(null, "30")))));
        }

        @Test
        void other_material_profiles_pass_through_the_engine_unchanged() {
            Characteristics battery = Characteristics.of("battery-material-v1", java.util.Map.of(
                    "recycledShare", Measure.of("0.16", "ratio"), "countryOfOrigin", "CL", "dueDiligence", "VERIFIED"));
            Site site = Site.monthly("LITHIUM").given(
                    in("I1", "2025-01-05", "LITHIUM", "10", batch("L1", "10", battery)),
                    out("O1", "2025-01-06", "LITHIUM", "4", claim("4")));
            Effect.Booked booked = site.applied.get(site.applied.size() - 1).effects(Effect.Booked.class).get(0);
            assertEquals(battery, booked.portions().get(0).characteristics());
        }
    }

    @Nested
    @DisplayName("R-03 Never split, never cherry-pick")
    class R03 {
        @Test
        void an_outbound_portion_carries_exactly_its_batch_characteristics() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", hvo("NL"))),
                    in("I2", "2025-01-06", "HVO", "30", batch("B", "30", hvo("DE"))));
            Applied applied = site.apply(out("O1", "2025-01-07", "HVO", "40", claim("40")));
            List<Portion> portions = applied.effects(Effect.Booked.class).get(0).portions();
            assertEquals(2, portions.size());
            assertEquals("A", portions.get(0).batchId());
            assertEquals(hvo("NL"), portions.get(0).characteristics());
            assertAmount("30", portions.get(0).amount());
            assertEquals("B", portions.get(1).batchId());
            assertEquals(hvo("DE"), portions.get(1).characteristics());
            assertAmount("10", portions.get(1).amount());
        }

        @Test
        void an_outbound_may_not_bring_characteristics_of_its_own() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "30", batch("A", "30")));
            assertEquals(RefusalCode.OUTBOUND_CHARACTERISTICS_NOT_ALLOWED,
                    refusalCode(site.apply(out("O1", "2025-01-07", "HVO", "10", batch("A", "10", hvo("SE"))))));
        }
    }

    @Nested
    @DisplayName("R-04 Never average / R-05 The one merge allowed")
    class R04R05 {
        Characteristics withTransport(String country, String ghg, String transport) {
            return hvo(country, ghg).with("transportEmissions", Measure.of(transport, "gCO2e/MJ"));
        }

        @Test
        void batches_that_differ_only_in_transport_become_one_with_the_highest_transport_emission() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", withTransport("NL", "14.2", "1.2"))),
                    in("I2", "2025-01-06", "HVO", "20", batch("B", "20", withTransport("NL", "15.0", "2.0"))));
            Applied applied = site.apply(new BatchesMerged(Site.ID, "HVO", List.of("A", "B"), "AB", "one tank", "officer"));
            Effect.Merged merged = applied.effects(Effect.Merged.class).get(0);
            assertAmount("50", merged.amount());
            assertEquals("HVO", merged.product());
            assertEquals(List.of("A", "B"), merged.sources().stream().map(Portion::batchId).toList());
            assertAmount("30", merged.sources().get(0).amount());
            assertEquals(Measure.of("15.0", "gCO2e/MJ"), merged.characteristics().measure("ghgEmissions").orElseThrow());
            assertEquals(Measure.of("2.0", "gCO2e/MJ"), merged.characteristics().measure("transportEmissions").orElseThrow());
            List<SiteLedger.Stock> stock = site.ledger.stock();
            assertEquals(1, stock.size());
            assertEquals("AB", stock.get(0).batchId());
            PeriodResult.ProductBalance hvo = site.balance("2025-01").product("HVO");
            assertAmount("30", batchLine(hvo, "A").mergedOut());
            assertAmount("50", batchLine(hvo, "AB").mergedIn());
            assertAmount("50", hvo.closing());
        }

        @Test
        void batches_from_different_countries_stay_apart() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", withTransport("NL", "14.2", "1.2"))),
                    in("I2", "2025-01-06", "HVO", "20", batch("B", "20", withTransport("DE", "15.0", "2.0"))));
            assertEquals(RefusalCode.MERGE_COUNTRY_DIFFERS,
                    refusalCode(site.apply(new BatchesMerged(Site.ID, "HVO", List.of("A", "B"), "AB", null, "officer"))));
        }

        @Test
        void batches_whose_emissions_differ_beyond_transport_are_never_averaged() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", withTransport("NL", "14.2", "1.2"))),
                    in("I2", "2025-01-06", "HVO", "20", batch("B", "20", withTransport("NL", "16.0", "2.0"))));
            assertEquals(RefusalCode.MERGE_WOULD_AVERAGE,
                    refusalCode(site.apply(new BatchesMerged(Site.ID, "HVO", List.of("A", "B"), "AB", null, "officer"))));
            assertEquals(2, site.ledger.stock().size());
        }

        @Test
        void batches_without_stated_transport_emissions_cannot_be_merged() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", hvo("NL", "14.2"))),
                    in("I2", "2025-01-06", "HVO", "20", batch("B", "20", hvo("NL", "15.0"))));
            assertEquals(RefusalCode.MERGE_TRANSPORT_EMISSIONS_MISSING,
                    refusalCode(site.apply(new BatchesMerged(Site.ID, "HVO", List.of("A", "B"), "AB", null, "officer"))));
        }

        @Test
        void batches_differing_in_another_characteristic_cannot_be_merged() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", withTransport("NL", "14.2", "1.2"))),
                    in("I2", "2025-01-06", "HVO", "20", batch("B", "20", withTransport("NL", "15.0", "2.0").with("rawMaterial", "Tallow"))));
            assertEquals(RefusalCode.MERGE_CHARACTERISTICS_DIFFER,
                    refusalCode(site.apply(new BatchesMerged(Site.ID, "HVO", List.of("A", "B"), "AB", null, "officer"))));
        }

        @Test
        void a_claim_naming_a_merged_batch_is_covered_from_the_merged_batch() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30", withTransport("NL", "14.2", "1.2"))),
                    out("O1", "2025-01-06", "HVO", "40", claim("A", "40")),
                    in("I2", "2025-01-07", "HVO", "20", batch("B", "20", withTransport("NL", "15.0", "2.0"))),
                    in("I3", "2025-01-08", "HVO", "20", batch("C", "20", withTransport("NL", "15.0", "2.0"))));
            Applied applied = site.apply(new BatchesMerged(Site.ID, "HVO", List.of("B", "C"), "BC", null, "officer"));
            assertTrue(applied.effects(Effect.ClaimCovered.class).isEmpty(), "the claim names A, not B or C");
            assertAmount("10", site.balance("2025-01").product("HVO").open());
        }
    }
}
