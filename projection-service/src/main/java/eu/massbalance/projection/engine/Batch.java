package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import java.math.BigDecimal;

/**
 * A batch within the open period: its characteristics, its place in FIFO order and
 * its figures. on hand = opening + in − out + mergedIn − mergedOut − disqualified, never negative.
 */
final class Batch {
    final String id;
    final String product;
    final String mixture;
    final Characteristics characteristics;
    final long rank;
    BigDecimal opening = BigDecimal.ZERO;
    BigDecimal in = BigDecimal.ZERO;
    BigDecimal out = BigDecimal.ZERO;
    BigDecimal mergedIn = BigDecimal.ZERO;
    BigDecimal mergedOut = BigDecimal.ZERO;
    BigDecimal disqualified = BigDecimal.ZERO;
    BigDecimal onHand = BigDecimal.ZERO;

    Batch(String id, String product, String mixture, Characteristics characteristics, long rank) {
        this.id = id;
        this.product = product;
        this.mixture = mixture;
        this.characteristics = characteristics;
        this.rank = rank;
    }

    void receive(BigDecimal amount) {
        in = in.add(amount);
        onHand = onHand.add(amount);
    }

    void draw(BigDecimal amount) {
        out = out.add(amount);
        onHand = onHand.subtract(amount);
    }

    /** what is on hand opens the next period. */
    void carry() {
        opening = onHand;
        in = BigDecimal.ZERO;
        out = BigDecimal.ZERO;
        mergedIn = BigDecimal.ZERO;
        mergedOut = BigDecimal.ZERO;
        disqualified = BigDecimal.ZERO;
    }

    Portion portion(BigDecimal amount) {
        return new Portion(id, product, amount, characteristics);
    }
}
