package eu.massbalance.contracts.event;

import java.util.Map;
import java.util.Optional;

/** CloudEvents types of the ledger events: {@code massbalance.<Name>.v1}. */
public final class EventTypes {

    public static final String PREFIX = "massbalance.";

    static final Map<String, Class<? extends LedgerEvent>> BY_NAME = Map.ofEntries(
            Map.entry("SiteConfigured", SiteConfigured.class),
            Map.entry("CertificateRegistered", CertificateRegistered.class),
            Map.entry("CertificateRevoked", CertificateRevoked.class),
            Map.entry("InboundDelivery", InboundDelivery.class),
            Map.entry("OutboundDelivery", OutboundDelivery.class),
            Map.entry("DeliveryReversed", DeliveryReversed.class),
            Map.entry("PeriodCloseRequested", PeriodCloseRequested.class),
            Map.entry("BatchesMerged", BatchesMerged.class),
            Map.entry("OpeningStockDeclared", OpeningStockDeclared.class),
            Map.entry("StockCounted", StockCounted.class),
            Map.entry("DeviationReclassified", DeviationReclassified.class),
            Map.entry("DeviationActionPlanned", DeviationActionPlanned.class),
            Map.entry("DeviationClosed", DeviationClosed.class),
            Map.entry("TransferInTransit", TransferInTransit.class),
            Map.entry("TransferReceived", TransferReceived.class),
            Map.entry("ProcessingRun", ProcessingRun.class));

    private EventTypes() {
    }

    public static String typeOf(Class<?> type) {
        return PREFIX + type.getSimpleName() + ".v1";
    }

    public static Map<String, Class<? extends LedgerEvent>> byName() {
        return BY_NAME;
    }

    public static Optional<Class<? extends LedgerEvent>> classOf(String cloudEventType) {
        if (cloudEventType == null || !cloudEventType.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = cloudEventType.substring(PREFIX.length());
        int dot = rest.lastIndexOf('.');
        return Optional.ofNullable(BY_NAME.get(dot < 0 ? rest : rest.substring(0, dot)));
    }
}
