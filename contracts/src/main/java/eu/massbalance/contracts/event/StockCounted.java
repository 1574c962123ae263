package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Quantity;
import java.time.OffsetDateTime;

/**
 * A physical stock count of one product (dip readings, tank gauging): what was there at
 * {@code countedAt}. The engine compares it with the book stock; a difference beyond the site's
 * tolerance is a deviation ({@code STOCK_COUNT_DIFFERENCE}).
 */
public record StockCounted(
        String siteId,
        String product,
        Quantity counted,
        OffsetDateTime countedAt,
        String method,
        String note,
        String requestedBy) implements LedgerEvent {
}
