package eu.massbalance.projection.engine;

import eu.massbalance.contracts.event.LedgerEvent;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * deliveries dated in a later period than the earliest open one wait, in log order, until
 * every earlier period is closed: before that, their period's opening stock is not known.
 */
final class PendingDeliveries {

    record Waiting(String deliveryId, LedgerEvent event, String mixture, BigDecimal quantity) {
    }

    private final TreeMap<YearMonth, List<Waiting>> byPeriod = new TreeMap<>();

    void queue(YearMonth period, Waiting waiting) {
        byPeriod.computeIfAbsent(period, p -> new ArrayList<>()).add(waiting);
    }

    /** The deliveries of the period that just became the earliest open one, in log order. */
    List<Waiting> release(YearMonth period) {
        List<Waiting> released = byPeriod.remove(period);
        return released == null ? List.of() : released;
    }

    /** a pending delivery reversed before it was drawn; returns the period it waited for. */
    Optional<YearMonth> remove(String deliveryId) {
        YearMonth found = null;
        for (Map.Entry<YearMonth, List<Waiting>> e : byPeriod.entrySet()) {
            if (e.getValue().removeIf(w -> w.deliveryId.equals(deliveryId))) {
                found = e.getKey();
            }
        }
        byPeriod.values().removeIf(List::isEmpty);
        return Optional.ofNullable(found);
    }

    /** Per mixture, the quantity waiting in a period. */
    Map<String, BigDecimal> quantities(YearMonth period) {
        Map<String, BigDecimal> waiting = new TreeMap<>();
        for (Waiting w : byPeriod.getOrDefault(period, List.of())) {
            waiting.merge(w.mixture, w.quantity, BigDecimal::add);
        }
        return waiting;
    }

    Map<YearMonth, List<String>> ids() {
        Map<YearMonth, List<String>> result = new TreeMap<>();
        byPeriod.forEach((period, list) -> result.put(period, list.stream().map(Waiting::deliveryId).toList()));
        return result;
    }
}
