package eu.massbalance.contracts.event;

import java.time.LocalDate;
import java.util.List;

/**
 * A supplier's certificate or sustainability decision, as known to this site. The ledger
 * appends it to the log of every site so that each site's history alone decides.
 * An empty product list covers every product.
 */
public record CertificateRegistered(
        String siteId,
        String supplierId,
        String certificateId,
        String scheme,
        LocalDate validFrom,
        LocalDate validTo,
        List<String> products) implements LedgerEvent {

    public CertificateRegistered {
        products = products == null ? List.of() : List.copyOf(products);
    }
}
