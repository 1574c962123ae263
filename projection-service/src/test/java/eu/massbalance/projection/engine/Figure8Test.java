package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.batchLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.example.Figure8;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The guidance's worked example (Figure 8, L1931–2005), from the data set the demo and the end-to-end test use too. */
@DisplayName("Golden: Figure 8 — wheat, monthly periods, tonnes (R-10, R-11, R-12)")
class Figure8Test {

    static final String SITE = "figure8-wheat";

    static Characteristics wheat(String ghg, String country) {
        return Figure8.characteristics(new Figure8.Row(null, null, null, null, null, null, ghg, country));
    }

    /** The site, its supplier's certificate and January's deliveries J1–J8. */
    static List<LedgerEvent> january() {
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new SiteConfigured(SITE, "Grain reception", "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2019, 1), null,
                List.of(new SiteConfigured.ProductConfig(Figure8.PRODUCT, Figure8.UNIT)), List.of(), null, null, null, null));
        events.add(new CertificateRegistered(SITE, Figure8.SUPPLIER, "SE-CERT", "national", LocalDate.of(2018, 1, 1), null, List.of()));
        Figure8.january().forEach(row -> events.add(Figure8.event(SITE, row)));
        return events;
    }

    @Test
    void january_closes_with_600_sustainable_and_february_opens_with_batches_002_and_003() {
        SiteLedger ledger = new SiteLedger(SITE);
        List<Applied> results = new ArrayList<>();
        january().forEach(e -> results.add(ledger.apply(e)));
        results.add(ledger.apply(new PeriodCloseRequested(SITE, YearMonth.of(2019, 1), "compliance-officer")));
        Figure8.february().forEach(row -> results.add(ledger.apply(Figure8.event(SITE, row))));
        assertEquals(2 + 8 + 1 + 2, results.size(), "set-up, J1–J8, the close, F1–F2");
        results.forEach(r -> assertFalse(r.refused(), () -> "refused: " + r.effects()));

        PeriodResult.ProductBalance jan = ledger.balance(YearMonth.of(2019, 1)).orElseThrow().product(Figure8.PRODUCT);
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

        PeriodResult.ProductBalance feb = ledger.balance(YearMonth.of(2019, 2)).orElseThrow().product(Figure8.PRODUCT);
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
