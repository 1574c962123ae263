package eu.massbalance.contracts.event;

import java.util.List;

/**
 * Going live: the sustainable stock of one product a site already holds when it starts using the
 * ledger, declared once, before any delivery is booked, batch by batch with full characteristics
 * and evidence. Amounts are in the product's accounting unit. The batches open the
 * first period and come first in FIFO order.
 */
public record OpeningStockDeclared(
        String siteId,
        String product,
        List<BatchLine> batches,
        String requestedBy) implements LedgerEvent {

    public OpeningStockDeclared {
        batches = batches == null ? List.of() : List.copyOf(batches);
    }
}
