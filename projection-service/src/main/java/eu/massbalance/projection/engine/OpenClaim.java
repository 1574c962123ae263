package eu.massbalance.projection.engine;

import java.math.BigDecimal;

/** The part of an outbound's sustainable claim not yet drawn from a batch. */
final class OpenClaim {
    final String deliveryId;
    final String product;
    final String mixture;
    String batchId;
    BigDecimal remaining;

    OpenClaim(String deliveryId, String product, String mixture, String batchId, BigDecimal remaining) {
        this.deliveryId = deliveryId;
        this.product = product;
        this.mixture = mixture;
        this.batchId = batchId;
        this.remaining = remaining;
    }
}
