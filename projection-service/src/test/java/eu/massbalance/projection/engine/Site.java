package eu.massbalance.projection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.CertificateRevoked;
import eu.massbalance.contracts.event.DeliveryReversed;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.BlendGroup;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a site and one-line builders for its events. Dates are "YYYY-MM-DD", noon in
 * Stockholm; quantities are in the product's unit unless a test says otherwise.
 */
final class Site {

    static final String ID = "depot";
    static final String SUPPLIER = "supplier-rotterdam";

    final SiteLedger ledger = new SiteLedger(ID);
    final List<Applied> applied = new ArrayList<>();

    /** A configured site: HVO and FAME in m3, monthly periods from 2025-01, every supplier certified. */
    static Site monthly(String... products) {
        Site site = new Site();
        site.apply(config(1, "2025-01", null, OverdraftPolicy.ALLOW_WITHIN_PERIOD, AllocationPolicy.FIFO, List.of(),
                products.length == 0 ? new String[] {"HVO", "FAME"} : products));
        site.apply(certificate(SUPPLIER, "CERT-1", "2020-01-01", "2030-12-31"));
        return site;
    }

    static SiteConfigured config(int months, String first, String reason, OverdraftPolicy overdraft, AllocationPolicy allocation,
                                 List<BlendGroup> groups, String... products) {
        return new SiteConfigured(ID, "Test depot", "556677-8899", "Europe/Stockholm", months, YearMonth.parse(first), reason,
                Arrays.stream(products).map(p -> new ProductConfig(p, Unit.M3)).toList(), groups, overdraft, allocation,
                null, 10);
    }

    static CertificateRegistered certificate(String supplier, String id, String from, String to) {
        return new CertificateRegistered(ID, supplier, id, "ISCC EU", LocalDate.parse(from), to == null ? null : LocalDate.parse(to), List.of());
    }

    static CertificateRevoked revoked(String supplier, String id, String from) {
        return new CertificateRevoked(ID, supplier, id, LocalDate.parse(from), "suspended by the scheme");
    }

    static OffsetDateTime at(String date) {
        return OffsetDateTime.parse(date + "T12:00:00+01:00");
    }

    /** RED characteristics that pass R-19 (14.2 gCO2e/MJ), from the given country. */
    static Characteristics hvo(String country, String ghg) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("fuelCategory", "HVO");
        fields.put("rawMaterial", "Used cooking oil");
        fields.put("countryOfOrigin", country);
        fields.put("rawMaterialGroup", "OTHER");
        fields.put("annexIX", "B");
        fields.put("residueOrWaste", true);
        fields.put("celluloseType", "NONE");
        fields.put("lowerHeatingValue", Measure.of("34.4", "MJ/l"));
        fields.put("ghgEmissions", Measure.of(ghg, "gCO2e/MJ"));
        fields.put("ghgMethod", "ACTUAL");
        fields.put("voluntaryScheme", "ISCC EU");
        fields.put("installationStart", "2012-05-01");
        fields.put("proofOfSustainability", "PoS-" + country + "-" + ghg);
        return Characteristics.of("red-biofuel-v1", fields);
    }

    static Characteristics hvo(String country) {
        return hvo(country, "14.2");
    }

    static BatchLine batch(String batchId, String amount, Characteristics characteristics) {
        return new BatchLine(batchId, new BigDecimal(amount), characteristics);
    }

    static BatchLine batch(String batchId, String amount) {
        return batch(batchId, amount, hvo("NL"));
    }

    static InboundDelivery in(String id, String date, String product, String quantity, BatchLine... lines) {
        return new InboundDelivery(ID, id, at(date), product, Quantity.of(quantity, Unit.M3), SUPPLIER, "CMR-" + id,
                List.of(lines), null, null);
    }

    static InboundDelivery inFrom(String supplier, String id, String date, String quantity, BatchLine... lines) {
        return new InboundDelivery(ID, id, at(date), "HVO", Quantity.of(quantity, Unit.M3), supplier, "CMR-" + id,
                List.of(lines), null, null);
    }

    static OutboundDelivery out(String id, String date, String product, String quantity, BatchLine... claims) {
        return new OutboundDelivery(ID, id, at(date), product, Quantity.of(quantity, Unit.M3), "customer", "TRANSPORT", true,
                List.of(claims), null, null);
    }

    static BatchLine claim(String amount) {
        return BatchLine.claim(amount);
    }

    static BatchLine claim(String batchId, String amount) {
        return BatchLine.claim(batchId, amount);
    }

    static PeriodCloseRequested close(String period) {
        return new PeriodCloseRequested(ID, YearMonth.parse(period), "compliance-officer");
    }

    static DeliveryReversed reversal(String deliveryId) {
        return new DeliveryReversed(ID, deliveryId, "keyed twice", "erp");
    }

    Applied apply(LedgerEvent event) {
        Applied result = ledger.apply(event);
        applied.add(result);
        return result;
    }

    Site given(LedgerEvent... events) {
        for (LedgerEvent e : events) {
            Applied result = apply(e);
            assertFalse(result.refused(), () -> "Given event was refused: " + result.effects());
        }
        return this;
    }

    PeriodResult balance(String period) {
        return ledger.balance(YearMonth.parse(period)).orElseThrow();
    }

    static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual.toPlainString());
    }

    static RefusalCode refusalCode(Applied applied) {
        assertTrue(applied.refused(), () -> "Expected a refusal but got " + applied.effects());
        return ((Effect.Refused) applied.effects().get(0)).code();
    }

    static PeriodResult.BatchBalance batchLine(PeriodResult.ProductBalance product, String batchId) {
        return product.batches().stream().filter(b -> b.batchId().equals(batchId)).findFirst()
                .orElseThrow(() -> new AssertionError("No line for batch " + batchId + " in " + product.batches()));
    }
}
