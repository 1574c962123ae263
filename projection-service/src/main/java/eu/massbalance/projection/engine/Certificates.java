package eu.massbalance.projection.engine;

import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.CertificateRevoked;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Suppliers' certificates and decisions as this site knows them. */
final class Certificates {

    private record Certificate(CertificateRegistered registration, LocalDate revokedFrom) {
        boolean covers(String product, LocalDate date) {
            return !date.isBefore(registration.validFrom())
                    && (registration.validTo() == null || !date.isAfter(registration.validTo()))
                    && (registration.products().isEmpty() || registration.products().contains(product))
                    && (revokedFrom == null || date.isBefore(revokedFrom));
        }
    }

    private final Map<String, Map<String, Certificate>> bySupplier = new HashMap<>();

    void register(CertificateRegistered registration) {
        bySupplier.computeIfAbsent(registration.supplierId(), s -> new LinkedHashMap<>())
                .put(registration.certificateId(), new Certificate(registration, null));
    }

    boolean isKnown(String supplierId, String certificateId) {
        return bySupplier.getOrDefault(supplierId, Map.of()).containsKey(certificateId);
    }

    void revoke(CertificateRevoked revocation) {
        bySupplier.get(revocation.supplierId()).computeIfPresent(revocation.certificateId(),
                (id, c) -> new Certificate(c.registration(), revocation.effectiveFrom()));
    }

    /** Whether the supplier held a valid, unrevoked certificate for the product on that date. */
    boolean covers(String supplierId, String product, LocalDate date) {
        if (supplierId == null) {
            return false;
        }
        return bySupplier.getOrDefault(supplierId, Map.of()).values().stream().anyMatch(c -> c.covers(product, date));
    }
}
