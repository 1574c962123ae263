package eu.massbalance.contracts.event;

import java.time.LocalDate;

/**
 * A certificate withdrawn from a date on; deliveries from that date are not covered.
 * {@code requestedBy} is the authenticated caller who revoked it (null before callers were authenticated).
 */
public record CertificateRevoked(
        String siteId,
        String supplierId,
        String certificateId,
        LocalDate effectiveFrom,
        String reason,
        String requestedBy) implements LedgerEvent {

    public CertificateRevoked(String siteId, String supplierId, String certificateId, LocalDate effectiveFrom, String reason) {
        this(siteId, supplierId, certificateId, effectiveFrom, reason, null);
    }

    public CertificateRevoked withRequestedBy(String actor) {
        return new CertificateRevoked(siteId, supplierId, certificateId, effectiveFrom, reason, actor);
    }

    public CertificateRevoked forSite(String site) {
        return new CertificateRevoked(site, supplierId, certificateId, effectiveFrom, reason, requestedBy);
    }
}
