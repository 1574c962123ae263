package eu.massbalance.contracts.event;

import java.time.LocalDate;

/** A certificate withdrawn from a date on; deliveries from that date are not covered. */
public record CertificateRevoked(
        String siteId,
        String supplierId,
        String certificateId,
        LocalDate effectiveFrom,
        String reason) implements LedgerEvent {
}
