package eu.massbalance.contracts.event;

import java.time.YearMonth;

/** Closes a period: by a compliance officer or by the ledger's scheduler after the grace time. */
public record PeriodCloseRequested(String siteId, YearMonth periodId, String requestedBy) implements LedgerEvent {
}
