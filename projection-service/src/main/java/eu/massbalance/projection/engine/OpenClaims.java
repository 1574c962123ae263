package eu.massbalance.projection.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/** Outbound claims not yet covered, in log order; at close, what is left is uncovered. */
final class OpenClaims {

    private final List<OpenClaim> claims = new ArrayList<>();

    void addAll(Collection<OpenClaim> newClaims) {
        claims.addAll(newClaims);
    }

    boolean isEmpty() {
        return claims.isEmpty();
    }

    /**
     * stock that arrives in a mixture covers its open claims in log order, oldest first: claims
     * naming a batch from that batch, unnamed claims FIFO. {@code covered} hears of every portion drawn.
     */
    void cover(String mixture, BatchStock stock, BiConsumer<OpenClaim, List<Portion>> covered) {
        Iterator<OpenClaim> it = claims.iterator();
        while (it.hasNext()) {
            OpenClaim claim = it.next();
            if (!claim.mixture.equals(mixture)) {
                continue;
            }
            List<Portion> portions = new ArrayList<>(2);
            stock.draw(claim, portions);
            if (!portions.isEmpty()) {
                covered.accept(claim, portions);
            }
            if (claim.remaining.signum() == 0) {
                it.remove();
            }
        }
    }

    /** a reversed outbound's open claim is dropped. */
    void drop(String deliveryId) {
        claims.removeIf(c -> c.deliveryId.equals(deliveryId));
    }

    /** claims naming a merged batch now name the batch it became. */
    void renameBatches(Collection<String> from, String to) {
        for (OpenClaim claim : claims) {
            if (claim.batchId != null && from.contains(claim.batchId)) {
                claim.batchId = to;
            }
        }
    }

    BigDecimal open(String mixture) {
        BigDecimal open = BigDecimal.ZERO;
        for (OpenClaim c : claims) {
            if (c.mixture.equals(mixture)) {
                open = open.add(c.remaining);
            }
        }
        return open;
    }

    List<String> deliveries(String mixture) {
        return claims.stream().filter(c -> c.mixture.equals(mixture)).map(c -> c.deliveryId).distinct().toList();
    }

    /** at close, every claim still open is uncovered; none is carried into the next period. */
    List<OpenClaim> closeAsUncovered() {
        List<OpenClaim> uncovered = List.copyOf(claims);
        claims.clear();
        return uncovered;
    }
}
