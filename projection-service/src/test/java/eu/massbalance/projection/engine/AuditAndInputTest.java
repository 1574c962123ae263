package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.batch;
import static eu.massbalance.projection.engine.Site.claim;
import static eu.massbalance.projection.engine.Site.in;
import static eu.massbalance.projection.engine.Site.out;
import static eu.massbalance.projection.engine.Site.refusalCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Audit (R-20), quantities and bad input")
class AuditAndInputTest {

    @Nested
    @DisplayName("R-20 Auditable and fraud-proof")
    class R20 {
        @Test
        void the_chain_is_sha256_of_the_previous_head_and_the_event_bytes() throws Exception {
            byte[] first = LedgerJson.canonical(in("I1", "2025-01-05", "HVO", "10"));
            byte[] second = LedgerJson.canonical(out("O1", "2025-01-06", "HVO", "5"));
            HashChain chain = new HashChain();
            byte[] h1 = chain.append(first);
            byte[] h2 = chain.append(second);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(new byte[32]);
            sha.update(first);
            assertArrayEquals(sha.digest(), h1);
            sha.update(h1);
            sha.update(second);
            assertArrayEquals(sha.digest(), h2);
        }

        @Test
        void changing_one_byte_of_one_event_changes_every_later_head() {
            HashChain original = new HashChain();
            HashChain tampered = new HashChain();
            byte[] a = "event-1".getBytes(StandardCharsets.UTF_8);
            byte[] b = "event-2".getBytes(StandardCharsets.UTF_8);
            original.append(a);
            tampered.append("event-X".getBytes(StandardCharsets.UTF_8));
            assertFalse(java.util.Arrays.equals(original.append(b), tampered.append(b)));
        }

        @Test
        void every_outbound_portion_references_its_source_batch_and_inbound() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            Applied inbound = site.applied.get(site.applied.size() - 1);
            Portion received = inbound.effects(Effect.Booked.class).get(0).portions().get(0);
            Portion drawn = site.apply(out("O1", "2025-01-06", "HVO", "4", claim("4"))).effects(Effect.Booked.class).get(0).portions().get(0);
            assertEquals(received.batchId(), drawn.batchId());
            assertEquals(received.characteristics(), drawn.characteristics());
        }

        @Test
        void the_same_events_in_the_same_order_give_the_same_state_and_effects() {
            List<LedgerEvent> events = new java.util.ArrayList<>(Figure8Test.january());
            SiteLedger one = new SiteLedger(Figure8Test.SITE);
            SiteLedger two = new SiteLedger(Figure8Test.SITE);
            List<Applied> a = events.stream().map(one::apply).toList();
            List<Applied> b = events.stream().map(two::apply).toList();
            assertEquals(a, b);
            assertEquals(one.snapshot(), two.snapshot());
        }
    }

    @Nested
    @DisplayName("Quantities and units")
    class Units {
        static InboundDelivery inUnit(String id, String amount, Unit unit, Measure density, Measure heatingValue, String sustainable) {
            List<BatchLine> lines = sustainable == null ? List.of() : List.of(Site.batch("A", sustainable));
            return new InboundDelivery(Site.ID, id, Site.at("2025-01-05"), "HVO", new Quantity(new BigDecimal(amount), unit),
                    Site.SUPPLIER, "CMR", lines, density, heatingValue);
        }

        @Test
        void litres_convert_to_cubic_metres_by_their_fixed_factor() {
            Site site = Site.monthly();
            Effect.Booked booked = site.apply(inUnit("I1", "38000", Unit.LITRE, null, null, "30000")).effects(Effect.Booked.class).get(0);
            assertAmount("38", booked.quantity());
            assertAmount("30", booked.sustainable());
            assertEquals(Unit.M3, booked.unit());
        }

        @Test
        void mass_to_volume_needs_a_density() {
            Site site = Site.monthly();
            assertEquals(RefusalCode.UNIT_CONVERSION_MISSING, refusalCode(site.apply(inUnit("I1", "39", Unit.TONNE, null, null, null))));
            Effect.Booked booked = site.apply(inUnit("I2", "39", Unit.TONNE, Measure.of("780", "kg/m3"), null, null))
                    .effects(Effect.Booked.class).get(0);
            assertAmount("50", booked.quantity());
        }

        @Test
        void energy_needs_a_lower_heating_value() {
            Site site = Site.monthly();
            assertEquals(RefusalCode.UNIT_CONVERSION_MISSING, refusalCode(site.apply(inUnit("I1", "344", Unit.GJ, Measure.of("780", "kg/m3"), null, null))));
            Effect.Booked booked = site.apply(inUnit("I2", "344", Unit.GJ, null, Measure.of("34.4", "MJ/l"), null))
                    .effects(Effect.Booked.class).get(0);
            assertAmount("10", booked.quantity());
        }

        @Test
        void a_standing_density_on_the_site_configuration_is_used() {
            Site site = new Site().given(new SiteConfigured(Site.ID, "d", "o", null, 1, YearMonth.of(2025, 1), null,
                    List.of(new SiteConfigured.ProductConfig("HVO", Unit.M3, Measure.of("0.78", "t/m3"), null)), List.of(),
                    null, null, null, null));
            assertAmount("50", site.apply(inUnit("I1", "39", Unit.TONNE, null, null, null)).effects(Effect.Booked.class).get(0).quantity());
        }
    }

    @Nested
    @DisplayName("Bad input: a stable code, nothing changed")
    class BadInput {
        @Test
        void refusals_change_nothing_but_the_sequence() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            SiteLedger.Snapshot before = site.ledger.snapshot();
            List<LedgerEvent> bad = List.of(
                    in("I2", "2025-01-05", "HVO", "5", batch("B", "6")),
                    in("I3", "2025-01-05", "HVO", "-5"),
                    in("I4", "2024-12-31", "HVO", "5"),
                    new OutboundDelivery(Site.ID, "O1", null, "HVO", Quantity.of("1", Unit.M3), null, null, null, List.of(), null, null),
                    out("O2", "2025-01-06", "HVO", "5", claim("0")),
                    in("I5", "2025-01-05", "HVO", "10", batch("C", "5"), batch("C", "5")));
            List<RefusalCode> codes = bad.stream().map(site::apply).map(Site::refusalCode).toList();
            assertEquals(List.of(RefusalCode.SUSTAINABLE_EXCEEDS_QUANTITY, RefusalCode.QUANTITY_NOT_POSITIVE,
                    RefusalCode.DELIVERY_BEFORE_FIRST_PERIOD, RefusalCode.OCCURRED_AT_REQUIRED, RefusalCode.LINE_AMOUNT_NOT_POSITIVE,
                    RefusalCode.BATCH_LINE_DUPLICATE), codes);
            SiteLedger.Snapshot after = site.ledger.snapshot();
            assertEquals(before.current(), after.current());
            assertEquals(before.stock(), after.stock());
            assertEquals(before.deviations(), after.deviations());
            assertEquals(before.sequence() + bad.size(), after.sequence());
        }

        @Test
        void an_event_beyond_the_bounds_of_the_read_models_is_set_aside_before_any_arithmetic() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            SiteLedger.Snapshot before = site.ledger.snapshot();
            List<LedgerEvent> beyond = List.of(
                    in("I2", "2025-01-05", "HVO", "1234567890123456789012345678901234567890"),
                    in("I3", "2025-01-05", "HVO", "1e1000000"),
                    in("I4", "2025-01-05", "HVO", "5", batch("B", "1e-1000000")),
                    new InboundDelivery(Site.ID, "I5", java.time.OffsetDateTime.MIN, "HVO", Quantity.of("1", Unit.M3), "s", "t",
                            List.of(), null, null),
                    new eu.massbalance.contracts.event.DeviationActionPlanned(Site.ID, "\u0000", "plan", "officer"),
                    Units.inUnit("I6", "999999999999", Unit.TONNE, Measure.of("0.000001", "t/m3"), null, null));
            List<Applied> applied = beyond.stream().map(site::apply).toList();
            assertEquals(List.of(RefusalCode.EVENT_UNPROCESSABLE), applied.stream().map(Site::refusalCode).distinct().toList());
            SiteLedger.Snapshot after = site.ledger.snapshot();
            assertEquals(before.stock(), after.stock());
            assertEquals(before.current(), after.current());
            assertEquals(before.sequence() + beyond.size(), after.sequence());
            site.apply(in("I7", "2025-01-05", "HVO", "3", batch("A", "3")));
            assertAmount("13", site.ledger.stock().get(0).onHand());
        }

        @Test
        void an_event_set_aside_by_the_store_takes_its_place_in_the_sequence_and_changes_nothing() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            SiteLedger.Snapshot before = site.ledger.snapshot();
            Applied aside = site.ledger.setAside(in("I2", "2025-01-05", "HVO", "5", batch("B", "5")), "the store refused it");
            assertEquals(RefusalCode.EVENT_UNPROCESSABLE, refusalCode(aside));
            assertEquals(before.sequence() + 1, aside.seq());
            assertEquals(before.stock(), site.ledger.snapshot().stock());
        }

        @Test
        void a_null_event_is_refused_not_thrown() {
            assertEquals(RefusalCode.EVENT_INVALID, refusalCode(new SiteLedger("x").apply(null)));
        }
    }
}
