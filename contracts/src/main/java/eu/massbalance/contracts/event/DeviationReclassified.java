package eu.massbalance.contracts.event;

/** A compliance officer's reclassification; a reason is required. */
public record DeviationReclassified(String siteId, String deviationId, DeviationClass newClass, String reason,
                                    String requestedBy) implements LedgerEvent {
}
