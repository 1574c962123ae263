package eu.massbalance.contracts;

import java.util.List;

/** The Kafka topics of the product. Every topic is keyed by site id. */
public final class Topics {

    /** The event store: every site's history, totally ordered per site. Retained for ever. */
    public static final String LEDGER = "massbalance.ledger.v1";
    /** Deliveries as the depot ERP systems publish them. */
    public static final String ERP_DELIVERIES = "massbalance.erp-deliveries.v1";
    /** ERP records that failed validation, with the original payload and the reasons. */
    public static final String REJECTED = "massbalance.rejected.v1";
    public static final String DEVIATIONS = "massbalance.deviations.v1";
    public static final String PERIOD_RESULTS = "massbalance.period-results.v1";

    public static final List<String> ALL = List.of(LEDGER, ERP_DELIVERIES, REJECTED, DEVIATIONS, PERIOD_RESULTS);

    private Topics() {
    }
}
