package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.ID;
import static eu.massbalance.projection.engine.Site.batch;
import static eu.massbalance.projection.engine.Site.certificate;
import static eu.massbalance.projection.engine.Site.claim;
import static eu.massbalance.projection.engine.Site.close;
import static eu.massbalance.projection.engine.Site.config;
import static eu.massbalance.projection.engine.Site.hvo;
import static eu.massbalance.projection.engine.Site.in;
import static eu.massbalance.projection.engine.Site.out;
import static eu.massbalance.projection.engine.Site.reversal;
import static eu.massbalance.projection.engine.Site.revoked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.BatchesMerged;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.DeviationClosed;
import eu.massbalance.contracts.event.DeviationReclassified;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.BlendGroup;
import eu.massbalance.contracts.event.SiteConfigured.EscalationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every refusal code, driven at least once: given a site, when this event, then this refusal and
 * nothing changed but the sequence number.
 */
@DisplayName("Every refusal code, once: given, when, then refused and nothing changed")
class RefusalCodeTableTest {

    private record Case(RefusalCode code, String when, Supplier<Site> given, LedgerEvent event) {
    }

    private static Site fresh() {
        return new Site();
    }

    private static Site monthly() {
        return Site.monthly();
    }

    private static Site withStock() {
        return Site.monthly().given(in("I1", "2025-01-05", "HVO", "10", batch("A", "10")));
    }

    private static Site mergeable() {
        return Site.monthly().given(in("I1", "2025-01-05", "HVO", "20",
                batch("T1", "10", withTransport("NL", "12.0", "1.0")), batch("T2", "10", withTransport("NL", "12.5", "1.5"))));
    }

    private static Site shortAtClose() {
        return Site.monthly().given(out("O1", "2025-01-10", "HVO", "5", claim("5")), close("2025-01"));
    }

    private static String deviationOf(Site site) {
        return site.ledger.deviations().get(0).deviationId();
    }

    private static eu.massbalance.contracts.Characteristics withTransport(String country, String ghg, String transport) {
        return hvo(country, ghg).with("transportEmissions", Measure.of(transport, "gCO2e/MJ"));
    }

    private static SiteConfigured monthlyWith(List<ProductConfig> products, List<BlendGroup> groups, EscalationPolicy escalation) {
        return new SiteConfigured(ID, "d", "o", "Europe/Stockholm", 1, YearMonth.of(2025, 1), null, products, groups,
                null, null, escalation, null);
    }

    private static final ProductConfig HVO = new ProductConfig("HVO", Unit.M3);
    private static final ProductConfig FAME = new ProductConfig("FAME", Unit.M3);

    private static InboundDelivery inWith(String id, Quantity quantity, Measure density, BatchLine... lines) {
        return new InboundDelivery(ID, id, Site.at("2025-01-05"), "HVO", quantity, Site.SUPPLIER, "CMR", List.of(lines), density, null);
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // any event
        cases.add(new Case(RefusalCode.EVENT_INVALID, "no event", RefusalCodeTableTest::fresh, null));
        cases.add(new Case(RefusalCode.EVENT_UNPROCESSABLE, "an amount beyond the read models' precision", RefusalCodeTableTest::monthly,
                in("I1", "2025-01-05", "HVO", "1e1000")));
        cases.add(new Case(RefusalCode.SITE_MISMATCH, "an event of another site", RefusalCodeTableTest::monthly,
                new PeriodCloseRequested("elsewhere", YearMonth.of(2025, 1), "officer")));
        cases.add(new Case(RefusalCode.SITE_NOT_CONFIGURED, "a delivery before the site is configured", RefusalCodeTableTest::fresh,
                in("I1", "2025-01-05", "HVO", "10")));
        // set-up
        cases.add(new Case(RefusalCode.PERIOD_LENGTH_INVALID, "five-month periods", RefusalCodeTableTest::fresh,
                config(5, "2025-01", "harvest", null, null, List.of(), "HVO")));
        cases.add(new Case(RefusalCode.PERIOD_REASON_REQUIRED, "six-month periods without a reason", RefusalCodeTableTest::fresh,
                config(6, "2025-01", null, null, null, List.of(), "HVO")));
        cases.add(new Case(RefusalCode.FIRST_PERIOD_REQUIRED, "no first period", RefusalCodeTableTest::fresh,
                new SiteConfigured(ID, "d", "o", null, 1, null, null, List.of(HVO), List.of(), null, null, null, null)));
        cases.add(new Case(RefusalCode.TIME_ZONE_INVALID, "an unknown time zone", RefusalCodeTableTest::fresh,
                new SiteConfigured(ID, "d", "o", "Mars/Olympus", 1, YearMonth.of(2025, 1), null, List.of(HVO), List.of(), null,
                        null, null, null)));
        cases.add(new Case(RefusalCode.PERIOD_GRID_LOCKED, "a new period length once deliveries are booked",
                RefusalCodeTableTest::withStock, config(3, "2025-01", null, null, null, List.of(), "HVO", "FAME")));
        cases.add(new Case(RefusalCode.PRODUCTS_REQUIRED, "no products", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(), List.of(), null)));
        cases.add(new Case(RefusalCode.PRODUCT_INVALID, "a product without its accounting unit", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(new ProductConfig("HVO", null)), List.of(), null)));
        cases.add(new Case(RefusalCode.PRODUCT_DUPLICATE, "a product listed twice", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(HVO, HVO), List.of(), null)));
        cases.add(new Case(RefusalCode.PRODUCT_IN_USE, "a product with stock dropped", RefusalCodeTableTest::withStock,
                config(1, "2025-01", null, null, null, List.of(), "FAME")));
        cases.add(new Case(RefusalCode.BLEND_GROUP_INVALID, "a blend group of one product", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(HVO, FAME), List.of(new BlendGroup("g", List.of("HVO"))), null)));
        cases.add(new Case(RefusalCode.BLEND_GROUP_PRODUCT_UNKNOWN, "a blend group naming an unknown product", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(HVO, FAME), List.of(new BlendGroup("g", List.of("HVO", "ETHANOL"))), null)));
        cases.add(new Case(RefusalCode.BLEND_GROUP_OVERLAP, "a product in two blend groups", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(HVO, FAME, new ProductConfig("DIESEL", Unit.M3)), List.of(
                        new BlendGroup("g1", List.of("HVO", "FAME")), new BlendGroup("g2", List.of("HVO", "DIESEL"))), null)));
        cases.add(new Case(RefusalCode.BLEND_GROUP_UNIT_MISMATCH, "a blend group of two units", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(HVO, new ProductConfig("FAME", Unit.TONNE)), List.of(new BlendGroup("g", List.of("HVO", "FAME"))),
                        null)));
        cases.add(new Case(RefusalCode.ESCALATION_POLICY_INVALID, "an escalation window of zero months", RefusalCodeTableTest::fresh,
                monthlyWith(List.of(HVO), List.of(), new EscalationPolicy(2, 0))));
        // certificates
        cases.add(new Case(RefusalCode.CERTIFICATE_INVALID, "a certificate without its first valid day", RefusalCodeTableTest::monthly,
                new CertificateRegistered(ID, "trader", "C-1", "ISCC EU", null, null, List.of())));
        cases.add(new Case(RefusalCode.CERTIFICATE_VALIDITY_INVALID, "a certificate valid to before it is valid from",
                RefusalCodeTableTest::monthly, certificate("trader", "C-1", "2025-02-01", "2025-01-01")));
        cases.add(new Case(RefusalCode.CERTIFICATE_UNKNOWN, "revoking an unknown certificate", RefusalCodeTableTest::monthly,
                revoked("trader", "nope", "2025-01-01")));
        // deliveries
        cases.add(new Case(RefusalCode.DUPLICATE_DELIVERY, "the same delivery id again", RefusalCodeTableTest::withStock,
                in("I1", "2025-01-06", "HVO", "10")));
        cases.add(new Case(RefusalCode.OCCURRED_AT_REQUIRED, "a delivery without a date", RefusalCodeTableTest::monthly,
                new OutboundDelivery(ID, "O1", null, "HVO", Quantity.of("1", Unit.M3), null, null, null, List.of(), null, null)));
        cases.add(new Case(RefusalCode.DELIVERY_BEFORE_FIRST_PERIOD, "a delivery before the first period", RefusalCodeTableTest::monthly,
                in("I1", "2024-12-31", "HVO", "10")));
        cases.add(new Case(RefusalCode.PRODUCT_NOT_AT_SITE, "a product the site does not keep", RefusalCodeTableTest::monthly,
                in("I1", "2025-01-05", "ETHANOL", "10")));
        cases.add(new Case(RefusalCode.QUANTITY_NOT_POSITIVE, "a negative quantity", RefusalCodeTableTest::monthly,
                in("I1", "2025-01-05", "HVO", "-1")));
        cases.add(new Case(RefusalCode.UNIT_CONVERSION_MISSING, "tonnes without a density", RefusalCodeTableTest::monthly,
                inWith("I1", Quantity.of("10", Unit.TONNE), null)));
        cases.add(new Case(RefusalCode.UNIT_CONVERSION_INVALID, "a density of zero", RefusalCodeTableTest::monthly,
                inWith("I1", Quantity.of("10", Unit.TONNE), Measure.of("0", "kg/m3"))));
        cases.add(new Case(RefusalCode.LINE_AMOUNT_NOT_POSITIVE, "a claim of zero", RefusalCodeTableTest::withStock,
                out("O1", "2025-01-06", "HVO", "5", claim("0"))));
        cases.add(new Case(RefusalCode.SUSTAINABLE_EXCEEDS_QUANTITY, "more sustainable than physical", RefusalCodeTableTest::monthly,
                in("I1", "2025-01-05", "HVO", "5", batch("A", "6"))));
        cases.add(new Case(RefusalCode.BATCH_ID_REQUIRED, "a sustainable line without a batch id", RefusalCodeTableTest::monthly,
                in("I1", "2025-01-05", "HVO", "5", batch(" ", "5"))));
        cases.add(new Case(RefusalCode.CHARACTERISTICS_REQUIRED, "a batch without characteristics", RefusalCodeTableTest::monthly,
                in("I1", "2025-01-05", "HVO", "5", new BatchLine("A", new java.math.BigDecimal("5"), null))));
        cases.add(new Case(RefusalCode.BATCH_LINE_DUPLICATE, "a batch listed twice", RefusalCodeTableTest::monthly,
                in("I1", "2025-01-05", "HVO", "10", batch("A", "5"), batch("A", "5"))));
        cases.add(new Case(RefusalCode.BATCH_PRODUCT_CONFLICT, "a batch id of another product", RefusalCodeTableTest::withStock,
                in("I2", "2025-01-06", "FAME", "5", batch("A", "5"))));
        cases.add(new Case(RefusalCode.BATCH_CHARACTERISTICS_CONFLICT, "a batch id with other characteristics",
                RefusalCodeTableTest::withStock, in("I2", "2025-01-06", "HVO", "5", batch("A", "5", hvo("SE")))));
        cases.add(new Case(RefusalCode.OUTBOUND_CHARACTERISTICS_NOT_ALLOWED, "an outbound bringing characteristics",
                RefusalCodeTableTest::withStock, out("O1", "2025-01-06", "HVO", "5", batch("A", "5"))));
        cases.add(new Case(RefusalCode.ALLOCATION_BATCH_REQUIRED, "an unnamed claim where allocation is explicit",
                () -> new Site().given(config(1, "2025-01", null, OverdraftPolicy.ALLOW_WITHIN_PERIOD, AllocationPolicy.EXPLICIT,
                        List.of(), "HVO")), out("O1", "2025-01-06", "HVO", "5", claim("5"))));
        cases.add(new Case(RefusalCode.MIXTURE_MISMATCH, "a FAME outbound naming an HVO batch", RefusalCodeTableTest::withStock,
                out("O1", "2025-01-06", "FAME", "5", claim("A", "5"))));
        cases.add(new Case(RefusalCode.GHG_SAVING_BELOW_THRESHOLD, "a batch saving too little (refuses the batch, books the rest)",
                RefusalCodeTableTest::monthly, in("I1", "2025-01-05", "HVO", "10", batch("A", "10", hvo("NL", "42.0")))));
        // reversals
        cases.add(new Case(RefusalCode.DELIVERY_UNKNOWN, "reversing an unknown delivery", RefusalCodeTableTest::monthly, reversal("nope")));
        cases.add(new Case(RefusalCode.DELIVERY_ALREADY_REVERSED, "reversing twice",
                () -> withStock().given(reversal("I1")), reversal("I1")));
        cases.add(new Case(RefusalCode.REVERSAL_PERIOD_CLOSED, "reversing in a closed period",
                () -> withStock().given(close("2025-01")), reversal("I1")));
        cases.add(new Case(RefusalCode.REVERSAL_INBOUND_DRAWN, "reversing an inbound already drawn from",
                () -> withStock().given(out("O1", "2025-01-06", "HVO", "5", claim("5"))), reversal("I1")));
        // going live
        cases.add(new Case(RefusalCode.OPENING_STOCK_TOO_LATE, "an opening stock after a delivery was booked",
                () -> withStock(), new eu.massbalance.contracts.event.OpeningStockDeclared(ID, "HVO",
                        List.of(batch("OLD", "5", hvo("SE"))), "officer")));
        cases.add(new Case(RefusalCode.OPENING_STOCK_ALREADY_DECLARED, "a product's opening stock declared twice",
                () -> Site.monthly().given(new eu.massbalance.contracts.event.OpeningStockDeclared(ID, "HVO",
                        List.of(batch("OLD", "5", hvo("SE"))), "officer")),
                new eu.massbalance.contracts.event.OpeningStockDeclared(ID, "HVO", List.of(batch("OLD-2", "5", hvo("SE"))), "officer")));
        // period close
        cases.add(new Case(RefusalCode.PERIOD_REQUIRED, "a close without a period", RefusalCodeTableTest::monthly,
                new PeriodCloseRequested(ID, null, "officer")));
        cases.add(new Case(RefusalCode.PERIOD_UNKNOWN, "closing a month that starts no period",
                () -> new Site().given(config(3, "2025-01", null, null, null, List.of(), "HVO")), close("2025-02")));
        cases.add(new Case(RefusalCode.PERIOD_ALREADY_CLOSED, "closing a closed period",
                () -> Site.monthly().given(close("2025-01")), close("2025-01")));
        cases.add(new Case(RefusalCode.PERIOD_CLOSE_OUT_OF_ORDER, "closing a later period first", RefusalCodeTableTest::monthly,
                close("2025-02")));
        // merges
        cases.add(new Case(RefusalCode.MERGE_INVALID, "a merge of one batch", RefusalCodeTableTest::mergeable,
                new BatchesMerged(ID, "HVO", List.of("T1"), "M", "r", "officer")));
        cases.add(new Case(RefusalCode.BATCH_ID_IN_USE, "a merge into a batch id already used", RefusalCodeTableTest::mergeable,
                new BatchesMerged(ID, "HVO", List.of("T1", "T2"), "T1", "r", "officer")));
        cases.add(new Case(RefusalCode.BATCH_NOT_ON_HAND, "a merge of a batch not on hand", RefusalCodeTableTest::mergeable,
                new BatchesMerged(ID, "HVO", List.of("T1", "X"), "M", "r", "officer")));
        cases.add(new Case(RefusalCode.MERGE_PRODUCT_DIFFERS, "a merge stated for another product", RefusalCodeTableTest::mergeable,
                new BatchesMerged(ID, "FAME", List.of("T1", "T2"), "M", "r", "officer")));
        cases.add(new Case(RefusalCode.MERGE_COUNTRY_DIFFERS, "a merge across countries of origin",
                () -> Site.monthly().given(in("I1", "2025-01-05", "HVO", "20",
                        batch("T1", "10", withTransport("NL", "12.0", "1.0")), batch("T2", "10", withTransport("SE", "12.5", "1.5")))),
                new BatchesMerged(ID, "HVO", List.of("T1", "T2"), "M", "r", "officer")));
        cases.add(new Case(RefusalCode.MERGE_TRANSPORT_EMISSIONS_MISSING, "a merge without stated transport emissions",
                () -> Site.monthly().given(in("I1", "2025-01-05", "HVO", "20", batch("T1", "10"), batch("T2", "10", hvo("NL", "13")))),
                new BatchesMerged(ID, "HVO", List.of("T1", "T2"), "M", "r", "officer")));
        cases.add(new Case(RefusalCode.MERGE_CHARACTERISTICS_DIFFER, "a merge of batches of different raw materials",
                () -> Site.monthly().given(in("I1", "2025-01-05", "HVO", "20", batch("T1", "10", withTransport("NL", "12.0", "1.0")),
                        batch("T2", "10", withTransport("NL", "12.5", "1.5").with("rawMaterial", "Tallow")))),
                new BatchesMerged(ID, "HVO", List.of("T1", "T2"), "M", "r", "officer")));
        cases.add(new Case(RefusalCode.MERGE_WOULD_AVERAGE, "a merge of batches whose emissions differ beyond transport",
                () -> Site.monthly().given(in("I1", "2025-01-05", "HVO", "20",
                        batch("T1", "10", withTransport("NL", "12.0", "1.0")), batch("T2", "10", withTransport("NL", "14.0", "1.5")))),
                new BatchesMerged(ID, "HVO", List.of("T1", "T2"), "M", "r", "officer")));
        // the deviation workflow
        cases.add(new Case(RefusalCode.DEVIATION_UNKNOWN, "an action plan for an unknown deviation", RefusalCodeTableTest::monthly,
                new DeviationActionPlanned(ID, "nope", "plan", "officer")));
        cases.add(new Case(RefusalCode.DEVIATION_CLOSED, "an action plan for a closed deviation", () -> {
            Site site = shortAtClose();
            return site.given(new DeviationClosed(ID, deviationOf(site), "done", "officer"));
        }, null));
        cases.add(new Case(RefusalCode.REASON_REQUIRED, "a reclassification without a reason", RefusalCodeTableTest::shortAtClose, null));
        cases.add(new Case(RefusalCode.CLASS_REQUIRED, "a reclassification without a class", RefusalCodeTableTest::shortAtClose, null));
        cases.add(new Case(RefusalCode.CLASS_UNCHANGED, "a reclassification to the same class", RefusalCodeTableTest::shortAtClose, null));
        cases.add(new Case(RefusalCode.ACTION_PLAN_REQUIRED, "an empty action plan", RefusalCodeTableTest::shortAtClose, null));
        // R-22 transfers
        cases.add(new Case(RefusalCode.TRANSFER_TO_SAME_SITE, "a transfer to the site itself", RefusalCodeTableTest::withStock,
                transfer("T1", "1", ID)));
        cases.add(new Case(RefusalCode.TRANSFER_NOT_COVERED, "a transfer beyond the sustainable stock", RefusalCodeTableTest::withStock,
                transfer("T1", "11", "port")));
        cases.add(new Case(RefusalCode.TRANSFER_UNKNOWN, "a receipt of a transfer not on its way", RefusalCodeTableTest::monthly,
                receipt("port:T9")));
        cases.add(new Case(RefusalCode.TRANSFER_ALREADY_RECEIVED, "a second receipt", () -> monthly().given(transit("port:T1"),
                receipt("port:T1")), receipt("port:T1")));
        cases.add(new Case(RefusalCode.TRANSFER_NOT_REVERSIBLE, "reversing a transfer", () -> withStock().given(transfer("T1", "4", "port")),
                reversal("T1")));
        // R-23 processing
        cases.add(new Case(RefusalCode.PROCESSING_OUTPUT_REQUIRED, "a run that makes nothing", RefusalCodeTableTest::withStock,
                run("R1", List.of())));
        cases.add(new Case(RefusalCode.PROCESSING_OUTPUT_DUPLICATE, "a run that lists one product twice", RefusalCodeTableTest::withStock,
                run("R1", List.of(output("5", "1", null), output("4", "1", null)))));
        cases.add(new Case(RefusalCode.PROCESSING_FACTOR_INVALID, "a run with a factor of zero", RefusalCodeTableTest::withStock,
                run("R1", List.of(output("5", "0", null)))));
        cases.add(new Case(RefusalCode.PROCESSING_OUTPUT_EXCEEDS_FACTOR, "outputs beyond input × factor",
                RefusalCodeTableTest::withStock, run("R1", List.of(output("11", "1", null)))));
        cases.add(new Case(RefusalCode.PROCESSING_INPUT_NOT_COVERED, "a run whose input is not on hand", RefusalCodeTableTest::monthly,
                run("R1", List.of(output("5", "1", null)))));
        cases.add(new Case(RefusalCode.PROCESSING_OUTPUT_INVALID, "a run declaring the country of origin",
                RefusalCodeTableTest::withStock, run("R1", List.of(output("5", "1", hvo("SE").without("proofOfSustainability"))))));
        cases.add(new Case(RefusalCode.PROCESSING_NOT_REVERSIBLE, "reversing a processing run",
                () -> withStock().given(run("R1", List.of(output("5", "1", null)))), reversal("R1")));
        return cases;
    }

    private static eu.massbalance.contracts.event.OutboundDelivery transfer(String id, String amount, String destination) {
        return new eu.massbalance.contracts.event.OutboundDelivery(ID, id, Site.at("2025-01-10"), "HVO",
                eu.massbalance.contracts.Quantity.of(amount, eu.massbalance.contracts.Unit.M3), null, null, null, List.of(claim(amount)),
                null, null, "erp", destination);
    }

    private static eu.massbalance.contracts.event.TransferInTransit transit(String transferId) {
        return new eu.massbalance.contracts.event.TransferInTransit(ID, transferId, "port", transferId.substring(5), Site.at("2025-01-09"),
                "HVO", eu.massbalance.contracts.Quantity.of("3", eu.massbalance.contracts.Unit.M3), List.of(batch("P1", "3")), "transfer:port");
    }

    private static eu.massbalance.contracts.event.TransferReceived receipt(String transferId) {
        return new eu.massbalance.contracts.event.TransferReceived(ID, transferId, Site.at("2025-01-11"),
                eu.massbalance.contracts.Quantity.of("3", eu.massbalance.contracts.Unit.M3), "CMR-9", "erp");
    }

    private static eu.massbalance.contracts.event.ProcessingRun.Output output(String amount, String factor,
                                                                             eu.massbalance.contracts.Characteristics declared) {
        return new eu.massbalance.contracts.event.ProcessingRun.Output("FAME", eu.massbalance.contracts.Quantity.of(amount,
                eu.massbalance.contracts.Unit.M3), new java.math.BigDecimal(factor), declared);
    }

    private static eu.massbalance.contracts.event.ProcessingRun run(String id, List<eu.massbalance.contracts.event.ProcessingRun.Output> outputs) {
        return new eu.massbalance.contracts.event.ProcessingRun(ID, id, Site.at("2025-01-12"), "HVO",
                eu.massbalance.contracts.Quantity.of("10", eu.massbalance.contracts.Unit.M3), List.of(claim("10")), outputs, "erp");
    }

    /** Workflow events name a deviation that exists only once the site is built. */
    private static LedgerEvent eventFor(Case c, Site site) {
        if (c.event() != null || c.code() == RefusalCode.EVENT_INVALID) {
            return c.event();
        }
        String id = deviationOf(site);
        return switch (c.code()) {
            case DEVIATION_CLOSED -> new DeviationActionPlanned(ID, id, "plan", "officer");
            case REASON_REQUIRED -> new DeviationReclassified(ID, id, DeviationClass.OBSERVATION, " ", "officer");
            case CLASS_REQUIRED -> new DeviationReclassified(ID, id, null, "reason", "officer");
            case CLASS_UNCHANGED -> new DeviationReclassified(ID, id, DeviationClass.MINOR, "reason", "officer");
            case ACTION_PLAN_REQUIRED -> new DeviationActionPlanned(ID, id, " ", "officer");
            default -> throw new IllegalArgumentException("No event for " + c.code());
        };
    }

    @TestFactory
    Stream<DynamicTest> each_code_is_a_refusal_that_changes_nothing() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.code() + " when " + c.when(), () -> {
            Site site = c.given().get();
            SiteLedger.Snapshot before = site.ledger.snapshot();
            Applied applied = site.ledger.apply(eventFor(c, site));
            if (c.code() == RefusalCode.GHG_SAVING_BELOW_THRESHOLD) {
                // R-19 refuses one batch as sustainable; the delivery itself is booked
                assertEquals(List.of(c.code()), applied.effects(Effect.BatchRefused.class).stream().map(Effect.BatchRefused::code).toList(),
                        () -> "effects: " + applied.effects());
                assertTrue(site.ledger.stock().isEmpty());
                return;
            }
            assertEquals(c.code(), Site.refusalCode(applied), () -> "effects: " + applied.effects());
            SiteLedger.Snapshot after = site.ledger.snapshot();
            assertEquals(before.sequence() + 1, after.sequence());
            assertEquals(new SiteLedger.Snapshot(after.sequence(), before.configuration(), before.earliestOpenPeriod(),
                    before.closedPeriods(), before.current(), before.stock(), before.deviations(), before.pending()), after);
        }));
    }

    @Test
    void the_table_drives_every_code() {
        Set<RefusalCode> driven = EnumSet.noneOf(RefusalCode.class);
        cases().forEach(c -> driven.add(c.code()));
        Set<RefusalCode> missing = EnumSet.allOf(RefusalCode.class);
        missing.removeAll(driven);
        assertTrue(missing.isEmpty(), () -> "No case for " + missing);
    }
}
