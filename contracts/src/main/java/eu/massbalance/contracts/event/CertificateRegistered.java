package eu.massbalance.contracts.event;

import java.time.LocalDate;
import java.util.List;

/**
 * A supplier's certificate or sustainability decision, as known to this site. The ledger
 * appends it to the log of every site so that each site's history alone decides.
 * An empty product list covers every product. {@code requestedBy} is the authenticated caller who
 * registered it (null before callers were authenticated).
 */
public record CertificateRegistered(
        String siteId,
        String supplierId,
        String certificateId,
        String scheme,
        LocalDate validFrom,
        LocalDate validTo,
        List<String> products,
        String requestedBy) implements LedgerEvent {

    public CertificateRegistered {
        products = products == null ? List.of() : List.copyOf(products);
    }

    public CertificateRegistered(String siteId, String supplierId, String certificateId, String scheme, LocalDate validFrom,
                                 LocalDate validTo, List<String> products) {
        this(siteId, supplierId, certificateId, scheme, validFrom, validTo, products, null);
    }

    public CertificateRegistered withRequestedBy(String actor) {
        return new CertificateRegistered(siteId, supplierId, certificateId, scheme, validFrom, validTo, products, actor);
    }

    /** The same registration in another site's log. */
    public CertificateRegistered forSite(String site) {
        return new CertificateRegistered(site, supplierId, certificateId, scheme, validFrom, validTo, products, requestedBy);
    }
}
