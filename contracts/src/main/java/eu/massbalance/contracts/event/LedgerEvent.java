package eu.massbalance.contracts.event;

/**
 * Everything that can be on a site's log, topic {@code massbalance.ledger.v1}, keyed by
 * {@link #siteId()}. Events are immutable; corrections are new events.
 */
public sealed interface LedgerEvent
        permits SiteConfigured, CertificateRegistered, CertificateRevoked, InboundDelivery, OutboundDelivery,
                DeliveryReversed, PeriodCloseRequested, BatchesMerged, DeviationReclassified,
                DeviationActionPlanned, DeviationClosed, OpeningStockDeclared, StockCounted, TransferInTransit,
                TransferReceived, ProcessingRun {

    String siteId();

    /** The CloudEvents type of this event, also its JSON discriminator. */
    default String eventType() {
        return EventTypes.typeOf(getClass());
    }
}
