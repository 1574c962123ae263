package eu.massbalance.projection.engine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * R-16 after the fact: the sustainable quantities booked from each supplier, by delivery date and
 * the period they were booked in, so that a revocation dated before them can find them.
 */
final class SupplierReceipts {

    /** A sustainable inbound as booked: the batches it brought and how much of each. */
    record Receipt(String deliveryId, String supplierId, String product, String unit, LocalDate date, YearMonth period,
                   Map<String, BigDecimal> batches) {
    }

    /** Per supplier, in log order. */
    private final Map<String, List<Receipt>> bySupplier = new HashMap<>();
    private final Map<String, Receipt> byDelivery = new HashMap<>();

    void add(Receipt receipt) {
        bySupplier.computeIfAbsent(receipt.supplierId(), s -> new ArrayList<>()).add(receipt);
        byDelivery.put(receipt.deliveryId(), receipt);
    }

    /** a reversed inbound brought nothing. */
    void remove(String deliveryId) {
        Receipt receipt = byDelivery.remove(deliveryId);
        if (receipt != null) {
            bySupplier.get(receipt.supplierId()).remove(receipt);
        }
    }

    /**
     * The supplier's receipts no certificate covers any more, taken out so that a later revocation
     * does not find them again.
     */
    List<Receipt> takeUncovered(String supplierId, Certificates certificates) {
        List<Receipt> uncovered = new ArrayList<>();
        Iterator<Receipt> it = bySupplier.getOrDefault(supplierId, List.of()).iterator();
        while (it.hasNext()) {
            Receipt r = it.next();
            if (!certificates.covers(supplierId, r.product(), r.date())) {
                uncovered.add(r);
                it.remove();
                byDelivery.remove(r.deliveryId());
            }
        }
        return uncovered;
    }
}
