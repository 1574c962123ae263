package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.SiteConfigured;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;

/**
 * What applying one event did, as complete facts: a reader of the effects (the projection's store)
 * writes what they say and never infers from their shape. {@code seq} is the per-site sequence
 * number of the event that caused the effect; a refusal is an effect too, never an exception.
 */
public sealed interface Effect {

    long seq();

    enum Direction { INBOUND, OUTBOUND }

    /** How a delivery's booking or queueing came about. */
    enum Origin {
        /** its own event, the first time its id is on the log */
        RECORDED,
        /** its own event, offered again after an earlier event with its id was refused */
        RECORDED_AGAIN,
        /** queued before and drawn now that every earlier period is closed: another event's effect */
        RELEASED,
        /** a transfer in transit, now received: its row exists from the transit */
        RECEIVED
    }

    record Configured(long seq, SiteConfigured configuration) implements Effect {
    }

    record CertificateChanged(long seq, String supplierId, String certificateId, boolean revoked) implements Effect {
    }

    /**
     * A delivery booked into {@code periodId}, in the product's accounting unit. For an outbound,
     * {@code portions} are what was drawn at once and {@code open} the claim left open.
     * {@code late}: dated in a closed period and booked in the first open one.
     */
    record Booked(long seq, Origin origin, String deliveryId, Direction direction, OffsetDateTime occurredAt,
                  YearMonth periodId, YearMonth datedPeriod, String product, Unit unit, BigDecimal quantity,
                  BigDecimal sustainable, BigDecimal nonSustainable, List<Portion> portions, BigDecimal open,
                  boolean late) implements Effect {
    }

    /**
     * Recorded, dated in a later period; drawn only when every earlier period is closed.
     * Quantities in the product's accounting unit; {@code sustainable} is what its lines state.
     */
    record Pending(long seq, Origin origin, String deliveryId, Direction direction, OffsetDateTime occurredAt,
                   YearMonth periodId, YearMonth waitingFor, String product, Unit unit, BigDecimal quantity,
                   BigDecimal sustainable, BigDecimal nonSustainable) implements Effect {
    }

    /** A pending delivery refused when its period came: it changed nothing. */
    record ReleaseRefused(long seq, String deliveryId, YearMonth periodId, RefusalCode code, String message)
            implements Effect {
    }

    /** A later inbound covered (part of) an open claim. */
    record ClaimCovered(long seq, String deliveryId, List<Portion> portions, BigDecimal stillOpen) implements Effect {
    }

    /**
     * at the close of {@code periodId}, this much of the delivery's claim was left uncovered:
     * not sustainable, not reportable. {@code batchId} is the batch the claim named, if it named one.
     */
    record Uncovered(long seq, String deliveryId, YearMonth periodId, String product, String batchId, BigDecimal amount)
            implements Effect {
    }

    /** A booked or pending delivery undone; an outbound's portions went back to their batches. */
    record Reversed(long seq, String deliveryId, YearMonth periodId, List<Portion> returned) implements Effect {
    }

    /**
     * One batch of an inbound not accepted as sustainable; its quantity is booked as
     * non-sustainable, in {@code periodId}.
     */
    record BatchRefused(long seq, String deliveryId, String batchId, RefusalCode code, String message, YearMonth periodId)
            implements Effect {
    }

    /**
     * R-16 after the fact: a certificate revoked from a date before deliveries already booked; what
     * is still on hand of their batch is no longer sustainable and is booked as non-sustainable.
     */
    record Disqualified(long seq, String batchId, String product, Unit unit, BigDecimal amount, String supplierId,
                        String certificateId) implements Effect {
    }

    /**
     * R-22 at the source: an outbound to {@code destinationSiteId} booked; {@code portions} are what it
     * drew, with their characteristics, in {@code unit}, the product's accounting unit here.
     */
    record TransferDispatched(long seq, String deliveryId, String destinationSiteId, OffsetDateTime dispatchedAt,
                              String product, Unit unit, BigDecimal quantity, List<Portion> portions) implements Effect {
    }

    /**
     * R-22 at the destination: material on its way from {@code sourceSiteId}, in neither site's stock;
     * quantities in the product's accounting unit here.
     */
    record InTransit(long seq, String transferId, String sourceSiteId, OffsetDateTime dispatchedAt, YearMonth periodId,
                     String product, Unit unit, BigDecimal quantity, BigDecimal sustainable, List<Portion> portions)
            implements Effect {
    }

    /**
     * a transfer received (its booking is a {@link Booked} inbound of the same id);
     * {@code sustainableLost} is the sustainable quantity dispatched that did not arrive: never claimable;
     * {@code portions} what each batch brought here.
     */
    record TransferCompleted(long seq, String transferId, String sourceSiteId, Unit unit, BigDecimal dispatched, BigDecimal received,
                             BigDecimal sustainableLost, List<Portion> portions) implements Effect {
    }

    /** one output batch made of one input batch by a processing run. */
    record ProcessedLink(String inputBatchId, BigDecimal inputAmount, String outputBatchId, String outputProduct,
                         BigDecimal outputAmount) {
    }

    /** a processing run's batches, input to output (its bookings are {@link Booked} effects). */
    record Processed(long seq, String runId, List<ProcessedLink> links) implements Effect {
    }

    record PeriodClosed(long seq, PeriodResult result) implements Effect {
    }

    record DeviationRaised(long seq, Deviation deviation) implements Effect {
    }

    record DeviationChanged(long seq, Deviation deviation) implements Effect {
    }

    /** batches that differed only in transport emissions became one; {@code sources} are what each gave. */
    record Merged(long seq, String product, String targetBatchId, List<Portion> sources, BigDecimal amount,
                  Characteristics characteristics) implements Effect {
    }

    /** The event changed nothing; {@code periodId} is the site's open period then (null before the site was configured). */
    record Refused(long seq, String eventType, String reference, RefusalCode code, String message, YearMonth periodId)
            implements Effect {
    }
}
