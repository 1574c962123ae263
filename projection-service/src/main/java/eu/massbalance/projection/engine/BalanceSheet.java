package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.SiteLedger.n;

import eu.massbalance.contracts.Unit;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * a period's balance per mixture and batch, from the open period's stock, accounts and
 * open claims. At close the claims still open are shown as uncovered; before, as open.
 */
final class BalanceSheet {

    private BalanceSheet() {
    }

    static PeriodResult of(String siteId, YearMonth period, PeriodResult.Status status, BatchStock stock,
                           MixtureAccounts accounts, OpenClaims claims, SiteSetup setup) {
        Map<String, List<Batch>> byMixture = new TreeMap<>();
        for (Batch b : stock.inFifoOrder()) {
            byMixture.computeIfAbsent(b.mixture, m -> new ArrayList<>()).add(b);
        }
        Set<String> mixtures = new TreeSet<>(byMixture.keySet());
        mixtures.addAll(accounts.mixtures());
        boolean closing = status == PeriodResult.Status.CLOSED;
        List<PeriodResult.ProductBalance> lines = new ArrayList<>();
        for (String mixture : mixtures) {
            MixtureAccounts.Account account = accounts.get(mixture);
            BigDecimal opening = BigDecimal.ZERO;
            BigDecimal in = BigDecimal.ZERO;
            BigDecimal out = BigDecimal.ZERO;
            BigDecimal onHand = BigDecimal.ZERO;
            BigDecimal disqualified = BigDecimal.ZERO;
            List<PeriodResult.BatchBalance> batchLines = new ArrayList<>();
            for (Batch b : byMixture.getOrDefault(mixture, List.of())) {
                opening = opening.add(b.opening);
                in = in.add(b.in);
                out = out.add(b.out);
                disqualified = disqualified.add(b.disqualified);
                onHand = onHand.add(b.onHand);
                batchLines.add(new PeriodResult.BatchBalance(b.id, b.product, n(b.opening), n(b.in), n(b.out), n(b.mergedIn),
                        n(b.mergedOut), n(b.disqualified), n(b.onHand), b.characteristics));
            }
            BigDecimal open = claims.open(mixture);
            Unit unit = account != null ? account.unit : setup.unitOfMixture(mixture);
            BigDecimal zero = BigDecimal.ZERO;
            lines.add(new PeriodResult.ProductBalance(mixture, unit, n(opening), n(in), n(out),
                    n(account == null ? zero : account.claimed), n(closing ? open : zero), n(closing ? zero : open),
                    n(disqualified), n(onHand), n(account == null ? zero : account.nonSustainableIn),
                    n(account == null ? zero : account.nonSustainableOut), zero,
                    closing ? claims.deliveries(mixture) : List.of(), List.copyOf(batchLines)));
        }
        return new PeriodResult(siteId, period, status, List.copyOf(lines));
    }

    /** A later period's balance while it waits: only what is pending in it. */
    static PeriodResult waiting(String siteId, YearMonth period, Map<String, BigDecimal> pending, SiteSetup setup) {
        BigDecimal zero = BigDecimal.ZERO;
        List<PeriodResult.ProductBalance> lines = pending.entrySet().stream()
                .map(e -> new PeriodResult.ProductBalance(e.getKey(), setup.unitOfMixture(e.getKey()), zero, zero, zero, zero,
                        zero, zero, zero, zero, zero, zero, n(e.getValue()), List.of(), List.of()))
                .toList();
        return new PeriodResult(siteId, period, PeriodResult.Status.OPEN, lines);
    }
}
