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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.BlendGroup;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Sites, mixtures, periods (R-06 … R-09)")
class SitePeriodRulesTest {

    @Nested
    @DisplayName("R-06 Site")
    class R06 {
        @Test
        void an_event_of_another_site_is_refused() {
            SiteLedger other = new SiteLedger("other-site");
            assertEquals(RefusalCode.SITE_MISMATCH, refusalCode(other.apply(in("I1", "2025-01-05", "HVO", "10"))));
        }

        @Test
        void deliveries_before_the_site_is_configured_are_refused() {
            SiteLedger ledger = new SiteLedger(Site.ID);
            assertEquals(RefusalCode.SITE_NOT_CONFIGURED, refusalCode(ledger.apply(in("I1", "2025-01-05", "HVO", "10"))));
        }

        @Test
        void a_product_not_kept_at_the_site_is_refused() {
            assertEquals(RefusalCode.PRODUCT_NOT_AT_SITE, refusalCode(Site.monthly().apply(in("I1", "2025-01-05", "ETHANOL", "10"))));
        }
    }

    @Nested
    @DisplayName("R-07 Mixture")
    class R07 {
        @Test
        void characteristics_do_not_move_across_products_without_a_blend_group() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "30", batch("A", "30")));
            Applied applied = site.apply(out("O1", "2025-01-06", "FAME", "10", claim("10")));
            assertEquals(0, applied.effects(Effect.Booked.class).get(0).portions().size(), "HVO stock does not cover FAME");
            assertAmount("10", site.balance("2025-01").product("FAME").open());
        }

        @Test
        void naming_a_batch_of_another_product_is_refused() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "30", batch("A", "30")));
            assertEquals(RefusalCode.MIXTURE_MISMATCH, refusalCode(site.apply(out("O1", "2025-01-06", "FAME", "10", claim("A", "10")))));
        }

        @Test
        void a_declared_blend_group_shares_its_stock() {
            Site site = new Site().given(config(1, "2025-01", null, OverdraftPolicy.ALLOW_WITHIN_PERIOD, AllocationPolicy.FIFO,
                            List.of(new BlendGroup("diesel-blend", List.of("HVO", "B100"))), "HVO", "B100"),
                    Site.certificate(Site.SUPPLIER, "C", "2020-01-01", null),
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30")));
            Applied applied = site.apply(out("O1", "2025-01-06", "B100", "10", claim("10")));
            Portion portion = applied.effects(Effect.Booked.class).get(0).portions().get(0);
            assertEquals("A", portion.batchId());
            assertEquals("HVO", portion.product());
            assertAmount("20", site.balance("2025-01").product("diesel-blend").closing());
        }

        @Test
        void a_blend_group_of_different_units_is_refused() {
            var c = config(1, "2025-01", null, null, null, List.of(new BlendGroup("g", List.of("HVO", "FAME"))), "HVO", "FAME");
            var mixedUnits = new eu.massbalance.contracts.event.SiteConfigured(c.siteId(), c.name(), c.operator(), c.timeZone(),
                    1, c.firstPeriod(), null, List.of(new eu.massbalance.contracts.event.SiteConfigured.ProductConfig("HVO", Unit.M3),
                    new eu.massbalance.contracts.event.SiteConfigured.ProductConfig("FAME", Unit.TONNE)), c.blendGroups(),
                    null, null, null, null);
            assertEquals(RefusalCode.BLEND_GROUP_UNIT_MISMATCH, refusalCode(new SiteLedger(Site.ID).apply(mixedUnits)));
        }
    }

    @Nested
    @DisplayName("R-08 Period length")
    class R08 {
        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        void up_to_three_months_needs_no_reason(int months) {
            assertFalse(new SiteLedger(Site.ID).apply(config(months, "2025-01", null, null, null, List.of(), "HVO")).refused());
        }

        @ParameterizedTest
        @ValueSource(ints = {4, 6, 12})
        void longer_periods_need_a_stated_reason(int months) {
            assertEquals(RefusalCode.PERIOD_REASON_REQUIRED,
                    refusalCode(new SiteLedger(Site.ID).apply(config(months, "2025-01", null, null, null, List.of(), "HVO"))));
            assertFalse(new SiteLedger(Site.ID).apply(config(months, "2025-01", "seasonal harvest", null, null, List.of(), "HVO")).refused());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 5, 7, 13, 24, -1})
        void other_lengths_and_more_than_twelve_months_are_refused(int months) {
            assertEquals(RefusalCode.PERIOD_LENGTH_INVALID,
                    refusalCode(new SiteLedger(Site.ID).apply(config(months, "2025-01", "seasonal", null, null, List.of(), "HVO"))));
        }

        @Test
        void periods_are_contiguous_from_the_first_period() {
            Site site = new Site().given(config(3, "2025-02", null, null, null, List.of(), "HVO"));
            assertTrue(site.ledger.balance(YearMonth.of(2025, 5)).isPresent());
            assertTrue(site.ledger.balance(YearMonth.of(2025, 3)).isEmpty(), "2025-03 is inside the period 2025-02..04");
            assertEquals(RefusalCode.PERIOD_UNKNOWN, refusalCode(site.apply(close("2025-03"))));
        }

        @Test
        void the_delivery_date_is_read_in_the_sites_time_zone() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "30", batch("A", "30")));
            // 23:30 UTC on 31 January is 00:30 on 1 February in Stockholm
            InboundDelivery lateNight = new InboundDelivery(Site.ID, "I2", OffsetDateTime.parse("2025-01-31T23:30:00Z"), "HVO",
                    Quantity.of("10", Unit.M3), Site.SUPPLIER, "CMR", List.of(), null, null);
            Applied applied = site.apply(lateNight);
            assertEquals(YearMonth.of(2025, 2), applied.effects(Effect.Pending.class).get(0).periodId());
        }

        @Test
        void the_period_grid_is_locked_once_deliveries_are_booked() {
            Site site = Site.monthly().given(in("I1", "2025-01-05", "HVO", "30"));
            assertEquals(RefusalCode.PERIOD_GRID_LOCKED,
                    refusalCode(site.apply(config(3, "2025-01", null, null, null, List.of(), "HVO", "FAME"))));
        }
    }

    @Nested
    @DisplayName("R-09 Which period")
    class R09 {
        @Test
        void a_delivery_dated_in_a_later_period_waits_until_every_earlier_period_is_closed() {
            Site site = Site.monthly().given(
                    in("I1", "2025-01-05", "HVO", "30", batch("A", "30")),
                    out("O2", "2025-02-03", "HVO", "20", claim("20")));
            assertEquals(List.of("O2"), site.ledger.pendingDeliveries().get(YearMonth.of(2025, 2)));
            assertAmount("20", site.balance("2025-02").product("HVO").pending());
            // January's outbound, booked after February's in log order, still draws first
            Applied jan = site.apply(out("O1", "2025-01-20", "HVO", "25", claim("25")));
            assertAmount("25", jan.effects(Effect.Booked.class).get(0).portions().get(0).amount());

            Applied closing = site.apply(close("2025-01"));
            Effect.Booked released = closing.effects(Effect.Booked.class).get(0);
            assertEquals("O2", released.deliveryId());
            assertEquals(YearMonth.of(2025, 2), released.periodId());
            assertAmount("5", released.portions().get(0).amount());
            assertAmount("15", released.open());
            assertTrue(site.ledger.pendingDeliveries().isEmpty());
        }

        @Test
        void pending_deliveries_are_released_in_log_order_one_period_at_a_time() {
            Site site = Site.monthly().given(
                    out("M1", "2025-03-02", "HVO", "10", claim("10")),
                    in("F1", "2025-02-02", "HVO", "10", batch("A", "10")),
                    in("M2", "2025-03-01", "HVO", "10", batch("B", "10")));
            Applied jan = site.apply(close("2025-01"));
            assertEquals(List.of("F1"), jan.effects(Effect.Booked.class).stream().map(Effect.Booked::deliveryId).toList());
            Applied feb = site.apply(close("2025-02"));
            assertEquals(List.of("M1", "M2"), feb.effects(Effect.Booked.class).stream().map(Effect.Booked::deliveryId).toList());
            // M1 (earlier in the log) drew carried batch A; B arrived after and stays whole
            assertEquals("A", feb.effects(Effect.Booked.class).get(0).portions().get(0).batchId());
            assertAmount("10", batchLine(site.balance("2025-03").product("HVO"), "B").closing());
        }

        @Test
        void R09_a_pending_delivery_refused_when_its_period_comes_is_a_fact_and_its_id_may_be_offered_again() {
            Site site = Site.monthly().given(
                    in("F1", "2025-02-02", "HVO", "10", batch("A", "10", hvo("DE"))),
                    in("J1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL"))));
            Effect.Pending pending = site.applied.get(site.applied.size() - 2).effects(Effect.Pending.class).get(0);
            assertEquals(Effect.Origin.RECORDED, pending.origin());
            assertEquals(Effect.Direction.INBOUND, pending.direction());
            assertAmount("10", pending.sustainable());
            Applied closing = site.apply(close("2025-01"));
            Effect.ReleaseRefused refused = closing.effects(Effect.ReleaseRefused.class).get(0);
            assertEquals("F1", refused.deliveryId());
            assertEquals(YearMonth.of(2025, 2), refused.periodId());
            assertEquals(RefusalCode.BATCH_CHARACTERISTICS_CONFLICT, refused.code());
            assertFalse(closing.refused(), "the close itself stands");
            Effect.Booked again = site.apply(in("F1", "2025-02-02", "HVO", "10", batch("B", "10", hvo("DE"))))
                    .effects(Effect.Booked.class).get(0);
            assertEquals(Effect.Origin.RECORDED_AGAIN, again.origin());
        }

        @Test
        void R09_a_released_delivery_is_booked_by_the_close_as_RELEASED() {
            Site site = Site.monthly().given(in("F1", "2025-02-02", "HVO", "10", batch("A", "10")));
            Effect.Booked released = site.apply(close("2025-01")).effects(Effect.Booked.class).get(0);
            assertEquals(Effect.Origin.RELEASED, released.origin());
            assertEquals(Effect.Origin.RECORDED,
                    site.apply(in("F2", "2025-02-03", "HVO", "1")).effects(Effect.Booked.class).get(0).origin());
        }

        @Test
        void periods_close_in_order() {
            Site site = Site.monthly();
            assertEquals(RefusalCode.PERIOD_CLOSE_OUT_OF_ORDER, refusalCode(site.apply(close("2025-02"))));
            site.given(close("2025-01"));
            assertEquals(RefusalCode.PERIOD_ALREADY_CLOSED, refusalCode(site.apply(close("2025-01"))));
        }
    }
}
