package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.batchLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The guidance's worked example (Figure 8, L1931–2005), exactly as rules.md states it. */
@DisplayName("Golden: Figure 8 — wheat, monthly periods, tonnes (R-10, R-11, R-12)")
class Figure8Test {

    static final String SITE = "figure8-wheat";

    static List<LedgerEvent> january() {
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new SiteConfigured(SITE, "Grain reception", "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2019, 1),
                null, List.of(new SiteConfigured.ProductConfig("WHEAT", Unit.TONNE)), List.of(), null, null, null, null));
        events.add(new CertificateRegistered(SITE, "farm", "SE-CERT", "national", LocalDate.of(2018, 1, 1), null, List.of()));
        events.add(in("J1", "2019-01-03", "1000", "001", "310", "SE"));
        events.add(out("J2", "2019-01-07", "500", "500"));
        events.add(in("J3", "2019-01-10", "500", null, null, null));
        events.add(out("J4", "2019-01-12", "1000", "500"));
        events.add(in("J5", "2019-01-15", "400", "002", "300", "DK"));
        events.add(out("J6", "2019-01-19", "1500", "0"));
        events.add(in("J7", "2019-01-23", "200", "003", "250", "DE"));
        events.add(in("J8", "2019-01-30", "1000", null, null, null));
        return events;
    }

    static Characteristics wheat(String ghg, String country) {
        return Characteristics.of("figure8-wheat", Map.of("rawMaterial", "Wheat", "countryOfOrigin", country,
                "ghgEmissions", Measure.of(ghg, "gCO2/kg")));
    }

    static InboundDelivery in(String id, String date, String quantity, String batch, String ghg, String country) {
        List<BatchLine> lines = batch == null ? List.of() : List.of(new BatchLine(batch, new BigDecimal(quantity), wheat(ghg, country)));
        return new InboundDelivery(SITE, id, OffsetDateTime.parse(date + "T08:00:00+01:00"), "WHEAT",
                Quantity.of(quantity, Unit.TONNE), "farm", "CMR-" + id, lines, null, null);
    }

    static OutboundDelivery out(String id, String date, String quantity, String sustainable) {
        List<BatchLine> lines = "0".equals(sustainable) ? List.of() : List.of(BatchLine.claim(sustainable));
        return new OutboundDelivery(SITE, id, OffsetDateTime.parse(date + "T08:00:00+01:00"), "WHEAT",
                Quantity.of(quantity, Unit.TONNE), "mill", null, null, lines, null, null);
    }

    @Test
    void january_closes_with_600_sustainable_and_february_opens_with_batches_002_and_003() {
        SiteLedger ledger = new SiteLedger(SITE);
        List<Applied> results = new ArrayList<>();
        january().forEach(e -> results.add(ledger.apply(e)));
        results.add(ledger.apply(new PeriodCloseRequested(SITE, YearMonth.of(2019, 1), "compliance-officer")));
        results.add(ledger.apply(in("F1", "2019-02-11", "700", null, null, null)));
        results.add(ledger.apply(in("F2", "2019-02-20", "500", "004", "280", "SE")));
        results.forEach(r -> assertFalse(r.refused(), () -> "refused: " + r.effects()));

        PeriodResult.ProductBalance jan = ledger.balance(YearMonth.of(2019, 1)).orElseThrow().product("WHEAT");
        assertEquals(PeriodResult.Status.CLOSED, ledger.balance(YearMonth.of(2019, 1)).orElseThrow().status());
        assertAmount("0", jan.opening());
        assertAmount("1600", jan.in());
        assertAmount("1000", jan.out());
        assertAmount("600", jan.closing());
        assertAmount("0", jan.uncovered());
        assertAmount("0", batchLine(jan, "001").closing());
        assertAmount("400", batchLine(jan, "002").closing());
        assertAmount("200", batchLine(jan, "003").closing());
        assertTrue(ledger.deviations().isEmpty(), () -> "no deviation expected: " + ledger.deviations());

        PeriodResult.ProductBalance feb = ledger.balance(YearMonth.of(2019, 2)).orElseThrow().product("WHEAT");
        assertAmount("400", batchLine(feb, "002").opening());
        assertAmount("200", batchLine(feb, "003").opening());
        assertEquals(wheat("300", "DK"), batchLine(feb, "002").characteristics());
        assertEquals(wheat("250", "DE"), batchLine(feb, "003").characteristics());
        assertTrue(feb.batches().stream().noneMatch(b -> b.batchId().equals("001")), "no February line for batch 001");
        assertAmount("1100", feb.opening().add(feb.in()));
        assertAmount("500", batchLine(feb, "004").in());
        assertEquals(wheat("280", "SE"), batchLine(feb, "004").characteristics());
        assertEquals(3, feb.batches().size(), "004 stays its own batch");
    }
}
