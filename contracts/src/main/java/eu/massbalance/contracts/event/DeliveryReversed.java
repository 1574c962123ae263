package eu.massbalance.contracts.event;

/** Undoes a booked delivery of an open period; a closed period is corrected by a new delivery. */
public record DeliveryReversed(String siteId, String deliveryId, String reason, String requestedBy) implements LedgerEvent {
}
