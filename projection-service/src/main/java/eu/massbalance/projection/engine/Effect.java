package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.SiteConfigured;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;

/**
 * What applying one event did. {@code seq} is the per-site sequence number of the event that
 * caused the effect; a refusal is an effect too, never an exception.
 */
public sealed interface Effect {

    long seq();

    enum Direction { INBOUND, OUTBOUND }

    record Configured(long seq, SiteConfigured configuration) implements Effect {
    }

    record CertificateChanged(long seq, String supplierId, String certificateId, boolean revoked) implements Effect {
    }

    /**
     * A delivery booked into {@code periodId}, in the product's accounting unit. For an outbound,
     * {@code portions} are what was drawn at once and {@code open} the claim left open.
     * {@code late}: dated in a closed period and booked in the first open one.
     */
    record Booked(long seq, String deliveryId, Direction direction, OffsetDateTime occurredAt, YearMonth periodId,
                  YearMonth datedPeriod, String product, Unit unit, BigDecimal quantity, BigDecimal sustainable,
                  BigDecimal nonSustainable, List<Portion> portions, BigDecimal open, boolean late) implements Effect {
    }

    /** Recorded, dated in a later period; drawn only when every earlier period is closed. */
    record Pending(long seq, String deliveryId, YearMonth periodId, YearMonth waitingFor) implements Effect {
    }

    /** A later inbound covered (part of) an open claim. */
    record ClaimCovered(long seq, String deliveryId, List<Portion> portions, BigDecimal stillOpen) implements Effect {
    }

    /** A booked or pending delivery undone; an outbound's portions went back to their batches. */
    record Reversed(long seq, String deliveryId, YearMonth periodId, List<Portion> returned) implements Effect {
    }

    /** One batch of an inbound not accepted as sustainable; its quantity is booked as non-sustainable. */
    record BatchRefused(long seq, String deliveryId, String batchId, String code, String message) implements Effect {
    }

    record PeriodClosed(long seq, PeriodResult result) implements Effect {
    }

    record DeviationRaised(long seq, Deviation deviation) implements Effect {
    }

    record DeviationChanged(long seq, Deviation deviation) implements Effect {
    }

    /** batches that differed only in transport emissions became one. */
    record Merged(long seq, String targetBatchId, List<String> sourceBatchIds, BigDecimal amount,
                  Characteristics characteristics) implements Effect {
    }

    /** The event changed nothing. {@code code} is stable and machine-readable. */
    record Refused(long seq, String eventType, String reference, String code, String message) implements Effect {
    }
}
