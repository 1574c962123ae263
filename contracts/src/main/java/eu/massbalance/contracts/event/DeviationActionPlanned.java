package eu.massbalance.contracts.event;

/** The action plan for a deviation: OPEN becomes ACTION_PLANNED. */
public record DeviationActionPlanned(String siteId, String deviationId, String actionPlan, String requestedBy)
        implements LedgerEvent {
}
