package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The batches of the open period and their FIFO order: what is received, drawn, merged, carried
 * forward and disqualified. Every quantity drawn leaves as a portion of exactly one batch.
 */
final class BatchStock {

    /** Batches of the open period: carried opening stock and batches received in it. */
    private final Map<String, Batch> batches = new LinkedHashMap<>();
    /** Per mixture, the batches with stock on hand, by their place in FIFO order. */
    private final Map<String, TreeMap<Long, Batch>> available = new HashMap<>();
    /** Every batch id ever received here, with what a batch received again must match. */
    private final Map<String, Known> known = new HashMap<>();
    private long places;

    private record Known(String product, Characteristics characteristics) {
    }

    /** the same batch id again adds to the batch only with the same product and identical characteristics. */
    void checkReceivable(String batchId, String product, Characteristics characteristics) {
        Known k = known.get(batchId);
        if (k == null) {
            return;
        }
        if (!k.product.equals(product)) {
            throw new Refusal(RefusalCode.BATCH_PRODUCT_CONFLICT, "Batch " + batchId + " is " + k.product + ", not " + product);
        }
        if (!k.characteristics.identity().equals(characteristics.identity())) {
            throw new Refusal(RefusalCode.BATCH_CHARACTERISTICS_CONFLICT, "Batch " + batchId
                    + " was received before with other characteristics; a batch's characteristics are identical in every field");
        }
    }

    Optional<String> productOf(String batchId) {
        Known k = known.get(batchId);
        return k == null ? Optional.empty() : Optional.of(k.product);
    }

    boolean isKnown(String batchId) {
        return known.containsKey(batchId);
    }

    /**
     * a batch takes its place in FIFO order when it is first received. Received again, it keeps
     * that place while it is in the open period's accounts (on hand, or received, drawn or carried in
     * this period); one that reached zero and was not carried forward takes a new place, after the
     * opening stock.
     */
    Batch receive(Portion portion, String mixture) {
        Batch batch = batches.get(portion.batchId());
        if (batch == null) {
            Known k = known.computeIfAbsent(portion.batchId(), id -> new Known(portion.product(), portion.characteristics()));
            batch = new Batch(portion.batchId(), portion.product(), mixture, k.characteristics, ++places);
            batches.put(batch.id, batch);
        }
        batch.receive(portion.amount());
        makeAvailable(batch);
        return batch;
    }

    /**
     * Going live: a batch the site already held opens the first period; declared before any
     * delivery, it takes its FIFO place before every batch received.
     */
    Batch open(Portion portion, String mixture) {
        Batch batch = receive(portion, mixture);
        batch.in = batch.in.subtract(portion.amount());
        batch.opening = batch.opening.add(portion.amount());
        return batch;
    }

    /** draws what is on hand for a claim: from the batch it names, else FIFO over its mixture. */
    void draw(OpenClaim claim, List<Portion> portions) {
        if (claim.batchId != null) {
            Batch batch = batches.get(claim.batchId);
            if (batch != null && batch.onHand.signum() > 0) {
                portions.add(take(batch, claim));
            }
            return;
        }
        TreeMap<Long, Batch> fifo = available.get(claim.mixture);
        while (claim.remaining.signum() > 0 && fifo != null && !fifo.isEmpty()) {
            portions.add(take(fifo.firstEntry().getValue(), claim));
        }
    }

    /**
     * The portions these claims would draw, in order, without drawing anything; null when they
     * would leave any claim open. Transfers and processing runs draw all or nothing.
     */
    List<Portion> wouldDraw(List<OpenClaim> claims) {
        Map<String, BigDecimal> used = new HashMap<>();
        List<Portion> portions = new ArrayList<>();
        for (OpenClaim claim : claims) {
            BigDecimal remaining = claim.remaining;
            List<Batch> candidates;
            if (claim.batchId != null) {
                Batch named = batches.get(claim.batchId);
                candidates = named == null ? List.of() : List.of(named);
            } else {
                TreeMap<Long, Batch> fifo = available.get(claim.mixture);
                candidates = fifo == null ? List.of() : fifo.values().stream().toList();
            }
            for (Batch batch : candidates) {
                if (remaining.signum() <= 0) {
                    break;
                }
                BigDecimal free = batch.onHand.subtract(used.getOrDefault(batch.id, BigDecimal.ZERO));
                BigDecimal take = free.min(remaining);
                if (take.signum() > 0) {
                    used.merge(batch.id, take, BigDecimal::add);
                    portions.add(batch.portion(take));
                    remaining = remaining.subtract(take);
                }
            }
            if (remaining.signum() > 0) {
                return null;
            }
        }
        return portions;
    }

    private Portion take(Batch batch, OpenClaim claim) {
        BigDecimal amount = batch.onHand.min(claim.remaining);
        batch.draw(amount);
        claim.remaining = claim.remaining.subtract(amount);
        unavailableIfEmpty(batch);
        return batch.portion(amount);
    }

    /** a reversed outbound's portion goes back to its batch. */
    void giveBack(Portion portion) {
        Batch batch = batches.get(portion.batchId());
        batch.draw(portion.amount().negate());
        makeAvailable(batch);
    }

    /** an inbound is reversed only while everything it brought is still on hand. */
    Optional<String> drawnFrom(Map<String, BigDecimal> received) {
        return received.entrySet().stream().filter(e -> batches.get(e.getKey()).onHand.compareTo(e.getValue()) < 0)
                .map(Map.Entry::getKey).findFirst();
    }

    void unreceive(Map<String, BigDecimal> received) {
        received.forEach((id, amount) -> {
            Batch batch = batches.get(id);
            batch.receive(amount.negate());
            unavailableIfEmpty(batch);
        });
    }

    /** the sources' stock on hand becomes one new batch, first received now. */
    Batch merge(String targetId, List<Batch> sources, Characteristics merged, List<Portion> given) {
        Batch target = new Batch(targetId, sources.get(0).product, sources.get(0).mixture, merged, ++places);
        known.put(targetId, new Known(target.product, merged));
        for (Batch source : sources) {
            BigDecimal amount = source.onHand;
            given.add(source.portion(amount));
            source.mergedOut = source.mergedOut.add(amount);
            source.onHand = BigDecimal.ZERO;
            unavailableIfEmpty(source);
            target.mergedIn = target.mergedIn.add(amount);
            target.onHand = target.onHand.add(amount);
        }
        batches.put(targetId, target);
        makeAvailable(target);
        return target;
    }

    /** up to {@code amount} of what is on hand stops being sustainable; returns how much did. */
    BigDecimal disqualify(String batchId, BigDecimal amount) {
        Batch batch = batches.get(batchId);
        if (batch == null || batch.onHand.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal taken = batch.onHand.min(amount);
        batch.disqualified = batch.disqualified.add(taken);
        batch.onHand = batch.onHand.subtract(taken);
        unavailableIfEmpty(batch);
        return taken;
    }

    /** surplus carried batch by batch, characteristics unchanged; a batch at zero is not carried. */
    void carryForward() {
        List<Batch> carried = batches.values().stream().filter(b -> b.onHand.signum() > 0).toList();
        batches.clear();
        available.clear();
        for (Batch b : carried) {
            b.carry();
            batches.put(b.id, b);
            makeAvailable(b);
        }
    }

    Batch get(String batchId) {
        return batches.get(batchId);
    }

    /** The open period's batches, in FIFO order. */
    List<Batch> inFifoOrder() {
        List<Batch> list = new ArrayList<>(batches.values());
        list.sort(Comparator.comparingLong(b -> b.rank));
        return list;
    }

    Collection<Batch> all() {
        return batches.values();
    }

    private void makeAvailable(Batch batch) {
        if (batch.onHand.signum() > 0) {
            available.computeIfAbsent(batch.mixture, m -> new TreeMap<>()).put(batch.rank, batch);
        }
    }

    private void unavailableIfEmpty(Batch batch) {
        if (batch.onHand.signum() == 0) {
            TreeMap<Long, Batch> fifo = available.get(batch.mixture);
            if (fifo != null) {
                fifo.remove(batch.rank);
            }
        }
    }
}
