package eu.massbalance.contracts.event;

/** A deviation resolved. */
public record DeviationClosed(String siteId, String deviationId, String resolution, String requestedBy)
        implements LedgerEvent {
}
