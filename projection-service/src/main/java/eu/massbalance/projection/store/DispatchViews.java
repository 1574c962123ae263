package eu.massbalance.projection.store;

import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.projection.engine.SiteLedger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.YearMonth;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the dispatch check needs of each site this instance projects, held in memory as immutable
 * values: the site's set-up, its open period and its stock on hand per mixture in FIFO order. A
 * view is published only once the batch it follows is committed, so it never shows more than the
 * database does; the views of a partition's sites are dropped when the partition is revoked. A
 * site this instance does not hold is answered from the database.
 */
@ApplicationScoped
public class DispatchViews {

    /** One site as it stands after the event {@code seq}. */
    public record View(String siteId, long seq, SiteConfigured configuration, YearMonth openPeriod,
                       Map<String, List<SiteLedger.Stock>> stockByMixture) {

        static View of(SiteLedger ledger, List<SiteLedger.Stock> stock) {
            Map<String, List<SiteLedger.Stock>> byMixture = new LinkedHashMap<>();
            for (SiteLedger.Stock s : stock) {
                byMixture.computeIfAbsent(s.mixture(), m -> new java.util.ArrayList<>()).add(s);
            }
            byMixture.replaceAll((m, list) -> List.copyOf(list));
            return new View(ledger.siteId(), ledger.sequence(), ledger.configuration().orElse(null),
                    ledger.earliestOpenPeriod().orElse(null), Map.copyOf(byMixture));
        }

        List<SiteLedger.Stock> stock(String mixture) {
            return stockByMixture.getOrDefault(mixture, List.of());
        }
    }

    private final Map<String, View> views = new ConcurrentHashMap<>();
    /** Counts revocations; a view prepared before its site was revoked is not published after it. */
    private final AtomicLong revision = new AtomicLong();
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();

    /** The revision a batch's views are prepared at. */
    long revision() {
        return revision.get();
    }

    /** Publishes views prepared at {@code preparedAt}, once their batch is committed; an older view never replaces a newer. */
    void publish(long preparedAt, Collection<View> prepared) {
        for (View view : prepared) {
            if (view.configuration() == null || revokedAt.getOrDefault(view.siteId(), -1L) > preparedAt) {
                continue;
            }
            views.merge(view.siteId(), view, (old, fresh) -> fresh.seq() >= old.seq() ? fresh : old);
        }
    }

    /** The partition's sites are no longer this instance's to answer for. */
    void revoke(Collection<String> siteIds) {
        long at = revision.incrementAndGet();
        for (String siteId : siteIds) {
            revokedAt.put(siteId, at);
            views.remove(siteId);
        }
    }

    public Optional<View> view(String siteId) {
        return Optional.ofNullable(views.get(siteId));
    }

    /** The organisation of a site held here, if it is held here. */
    public Optional<String> organisationOf(String siteId) {
        View view = views.get(siteId);
        return view == null ? Optional.empty() : Optional.ofNullable(view.configuration().organisationId());
    }
}
