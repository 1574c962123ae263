package eu.massbalance.contracts;

import java.util.List;
import java.util.Optional;

/** The Kafka topics of the product. Every topic is keyed by site id. */
public final class Topics {

    /** The event store: every site's history, totally ordered per site. Retained for ever. */
    public static final String LEDGER = "massbalance.ledger.v1";
    /**
     * Deliveries as one organisation's ERP systems publish them: one topic per organisation,
     * {@code massbalance.erp-deliveries.v1.<organisation id>}. The broker lets only that
     * organisation's ERP principals write it, so the topic proves whose record it is.
     */
    public static final String ERP_DELIVERIES_PREFIX = "massbalance.erp-deliveries.v1.";
    /** What ledger-service subscribes to: every organisation's ERP topic, present and future. */
    public static final String ERP_DELIVERIES_PATTERN = "massbalance\\.erp-deliveries\\.v1\\..+";
    /** ERP records that failed validation, with the original payload and the reasons. */
    public static final String REJECTED = "massbalance.rejected.v1";
    public static final String DEVIATIONS = "massbalance.deviations.v1";
    public static final String PERIOD_RESULTS = "massbalance.period-results.v1";
    /**
     * Transfers dispatched, keyed by destination site: written by projection-service when a source
     * site's engine books a transfer, read by ledger-service, which appends the material in transit
     * to the destination's log.
     */
    public static final String TRANSFERS = "massbalance.transfers.v1";
    /**
     * What the engine refused after a 202, keyed by site, for the organisation's ERP to consume: one
     * topic per organisation, {@code massbalance.outcomes.v1.<organisation id>}, which only that
     * organisation's ERP principal may read.
     */
    public static final String OUTCOMES_PREFIX = "massbalance.outcomes.v1.";

    /** The topics that exist once per installation; the ERP topics come with each organisation. */
    public static final List<String> ALL = List.of(LEDGER, REJECTED, DEVIATIONS, PERIOD_RESULTS, TRANSFERS);

    private Topics() {
    }

    /** The ERP topic of an organisation (its id is site-id shaped, so a valid topic name). */
    public static String erpDeliveries(String organisationId) {
        if (!Bounds.isSiteId(organisationId)) {
            throw new IllegalArgumentException("not an organisation id: " + organisationId);
        }
        return ERP_DELIVERIES_PREFIX + organisationId;
    }

    /** The outcome topic of an organisation. */
    public static String outcomes(String organisationId) {
        if (!Bounds.isSiteId(organisationId)) {
            throw new IllegalArgumentException("not an organisation id: " + organisationId);
        }
        return OUTCOMES_PREFIX + organisationId;
    }

    /** The organisation whose ERP topic this is; empty for any other topic. */
    public static Optional<String> organisationOf(String topic) {
        if (topic == null || !topic.startsWith(ERP_DELIVERIES_PREFIX)) {
            return Optional.empty();
        }
        String organisation = topic.substring(ERP_DELIVERIES_PREFIX.length());
        return Bounds.isSiteId(organisation) ? Optional.of(organisation) : Optional.empty();
    }
}
