package eu.massbalance.contracts.output;

import java.time.YearMonth;

/**
 * Something the engine did not accept, on topic {@code massbalance.outcomes.v1} (keyed by site),
 * so that the ERP or person who sent it learns its fate after the 202: a whole event
 * ({@code kind} EVENT), one batch of an inbound refused as sustainable (BATCH, R-19), or a pending
 * delivery refused when its period came (RELEASE, R-09). {@code reference} is the delivery id
 * (or the deviation or period the command named); {@code sequence} and {@code ordinal} identify
 * the refusal in the site's log, so a consumer can tell a repeat from a new one.
 */
public record RefusalNotice(
        String siteId,
        long sequence,
        int ordinal,
        String kind,
        String eventType,
        String reference,
        String batchId,
        YearMonth periodId,
        String code,
        String rule,
        String message) {
}
