package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Characteristics;
import java.math.BigDecimal;

/**
 * The sustainable part of a delivery, one line per batch. Inbound: the batch received, with
 * its id and full characteristics. Outbound: the sustainable quantity claimed, naming a batch
 * or not (then FIFO, R-11); characteristics are never given on an outbound.
 */
public record BatchLine(String batchId, BigDecimal amount, Characteristics characteristics) {

    public static BatchLine claim(String amount) {
        return new BatchLine(null, new BigDecimal(amount), null);
    }

    public static BatchLine claim(String batchId, String amount) {
        return new BatchLine(batchId, new BigDecimal(amount), null);
    }
}
