package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Refusal.isBlank;
import static eu.massbalance.projection.engine.Refusal.require;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.UnitConversion;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.BatchesMerged;
import eu.massbalance.contracts.event.OpeningStockDeclared;
import eu.massbalance.contracts.event.StockCounted;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.CertificateRevoked;
import eu.massbalance.contracts.event.DeliveryReversed;
import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.event.DeviationClosed;
import eu.massbalance.contracts.event.DeviationReclassified;
import eu.massbalance.contracts.event.EventBounds;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.ProcessingRun;
import eu.massbalance.contracts.event.TransferInTransit;
import eu.massbalance.contracts.event.TransferReceived;
import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.MaterialProfile;
import eu.massbalance.contracts.ProcessingRule;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import eu.massbalance.projection.engine.DeliveryRegister.Booking;
import eu.massbalance.projection.engine.Effect.Direction;
import eu.massbalance.projection.engine.Effect.Origin;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One site's mass balance: its state and {@link #apply(LedgerEvent)}, which books each event of
 * the site's log and returns what it did. Plain Java and deterministic: no clock, no randomness,
 * ids derived from content, so the same events in the same order always give the same state and
 * the same effects. A refused event is an {@link Effect.Refused} and changes nothing: every
 * handler checks everything before it changes anything.
 *
 * <p>This class reads as the list of rules: each handler names the rule it applies and delegates
 * to the part that owns the state: {@link SiteSetup} (R-06..R-08), {@link BatchStock} (R-01,
 * ), {@link OpenClaims}, {@link PendingDeliveries},
 * {@link Deviations} (R-16..R-18), {@link SupplierReceipts}, {@link BalanceSheet}.
 */
public final class SiteLedger {

    private final String siteId;
    private long seq;

    private SiteSetup setup;
    /** The earliest open period: the one deliveries are drawn against. */
    private YearMonth active;

    private final Certificates certificates = new Certificates();
    private final SupplierReceipts receipts = new SupplierReceipts();
    private final BatchStock stock = new BatchStock();
    private final OpenClaims claims = new OpenClaims();
    private final MixtureAccounts accounts = new MixtureAccounts();
    private final DeliveryRegister deliveries = new DeliveryRegister();
    private final PendingDeliveries pending = new PendingDeliveries();
    private final List<PeriodResult> closed = new ArrayList<>();
    private final Deviations deviations;

    public SiteLedger(String siteId) {
        this.siteId = Objects.requireNonNull(siteId, "siteId");
        this.deviations = new Deviations(siteId);
    }

    public Applied apply(LedgerEvent event) {
        long current = ++seq;
        List<Effect> effects = new ArrayList<>(4);
        try {
            if (event == null) {
                throw new Refusal(RefusalCode.EVENT_INVALID, "No event");
            }
            withinBounds(event);
            if (!siteId.equals(event.siteId())) {
                throw new Refusal(RefusalCode.SITE_MISMATCH, "Event for site " + event.siteId() + " applied to site " + siteId);
            }
            dispatch(event, current, effects);
        } catch (Refusal refusal) {
            effects.clear();
            effects.add(refused(current, event, refusal));
        }
        return new Applied(current, List.copyOf(effects));
    }

    /**
     * An event the projection could not store or apply for a reason of its own (not the
     * infrastructure's): it takes its place in the site's sequence and changes nothing.
     */
    public Applied setAside(LedgerEvent event, String reason) {
        long current = ++seq;
        return new Applied(current, List.of(refused(current, event, new Refusal(RefusalCode.EVENT_UNPROCESSABLE, reason))));
    }

    private void dispatch(LedgerEvent event, long current, List<Effect> effects) {
        if (event instanceof SiteConfigured configured) {
            configure(configured, current, effects);
        } else if (event instanceof CertificateRegistered registered) {
            registerCertificate(registered, current, effects);
        } else if (event instanceof CertificateRevoked revoked) {
            revokeCertificate(revoked, current, effects);              // R-16, also after the fact
        } else if (event instanceof InboundDelivery in) {
            inbound(in, current, effects, origin(in.deliveryId()));
        } else if (event instanceof OutboundDelivery out) {
            outbound(out, current, effects, origin(out.deliveryId()));
        } else if (event instanceof DeliveryReversed reversal) {
            reverse(reversal, current, effects);
        } else if (event instanceof BatchesMerged merge) {
            merge(merge, current, effects);
        } else if (event instanceof OpeningStockDeclared opening) {
            openingStock(opening, current, effects);
        } else if (event instanceof StockCounted count) {
            stockCount(count, current, effects);                       // stock counts, R-17
        } else if (event instanceof PeriodCloseRequested close) {
            closePeriod(close, current, effects);
        } else if (event instanceof DeviationReclassified reclassified) {
            effects.add(new Effect.DeviationChanged(current, deviations.reclassify(reclassified)));
        } else if (event instanceof DeviationActionPlanned planned) {
            effects.add(new Effect.DeviationChanged(current, deviations.planAction(planned)));
        } else if (event instanceof DeviationClosed closedDeviation) {
            effects.add(new Effect.DeviationChanged(current, deviations.close(closedDeviation)));
        } else if (event instanceof TransferInTransit transit) {
            inTransit(transit, current, effects);
        } else if (event instanceof TransferReceived receipt) {
            receive(receipt, current, effects, Origin.RECEIVED);
        } else if (event instanceof ProcessingRun run) {
            process(run, current, effects, origin(run.runId()));
        } else {
            throw new IllegalStateException("LedgerEvent is sealed; no handler for " + event.getClass().getName());
        }
    }

    /**
     * An event with a value beyond what the read models hold (an amount beyond their precision, a
     * date out of range, a control character) is set aside before anything computes with it. The
     * ledger's gate admits no such event; this guards the log against any other writer.
     */
    private static void withinBounds(LedgerEvent event) {
        List<FieldProblem> problems = EventBounds.problems(event);
        if (!problems.isEmpty()) {
            throw new Refusal(RefusalCode.EVENT_UNPROCESSABLE, "Values out of bounds: " + problems.stream().limit(10)
                    .map(p -> p.field() + " " + p.code()).collect(Collectors.joining(", ")));
        }
    }

    /** How a delivery's own event comes to the log; {@code null} when its id is taken already. */
    private Origin origin(String deliveryId) {
        DeliveryRegister.State state = deliveries.state(deliveryId);
        return state == null ? Origin.RECORDED : state == DeliveryRegister.State.REFUSED ? Origin.RECORDED_AGAIN : null;
    }

    private Effect.Refused refused(long seq, LedgerEvent event, Refusal refusal) {
        String type = event == null ? "null" : event.getClass().getSimpleName();
        return new Effect.Refused(seq, type, reference(event), refusal.code, refusal.getMessage(), active);
    }

    private static String reference(LedgerEvent event) {
        if (event instanceof InboundDelivery in) {
            return in.deliveryId();
        } else if (event instanceof OutboundDelivery out) {
            return out.deliveryId();
        } else if (event instanceof DeliveryReversed r) {
            return r.deliveryId();
        } else if (event instanceof PeriodCloseRequested c) {
            return String.valueOf(c.periodId());
        } else if (event instanceof CertificateRegistered c) {
            return c.certificateId();
        } else if (event instanceof CertificateRevoked c) {
            return c.certificateId();
        } else if (event instanceof BatchesMerged m) {
            return m.targetBatchId();
        } else if (event instanceof OpeningStockDeclared o) {
            return "OPENING-" + o.product();
        } else if (event instanceof StockCounted c) {
            return "count-" + c.product() + "-" + c.countedAt();
        } else if (event instanceof DeviationReclassified d) {
            return d.deviationId();
        } else if (event instanceof DeviationActionPlanned d) {
            return d.deviationId();
        } else if (event instanceof DeviationClosed d) {
            return d.deviationId();
        } else if (event instanceof TransferInTransit t) {
            return t.transferId();
        } else if (event instanceof TransferReceived t) {
            return t.transferId();
        } else if (event instanceof ProcessingRun r) {
            return r.runId();
        }
        return event == null ? null : event.siteId();
    }

    // ------------------------------------------------------------------ set-up and certificates

    private void configure(SiteConfigured c, long current, List<Effect> effects) {
        SiteSetup next = SiteSetup.of(c);
        next.checkReplaces(setup, deliveries.anyBooked() || !closed.isEmpty(), stock.all());
        setup = next;
        if (active == null) {
            active = c.firstPeriod();
        }
        effects.add(new Effect.Configured(current, c));
    }

    private void registerCertificate(CertificateRegistered c, long current, List<Effect> effects) {
        if (isBlank(c.supplierId()) || isBlank(c.certificateId()) || c.validFrom() == null) {
            throw new Refusal(RefusalCode.CERTIFICATE_INVALID, "A certificate needs a supplier, an id and a validFrom date");
        }
        if (c.validTo() != null && c.validTo().isBefore(c.validFrom())) {
            throw new Refusal(RefusalCode.CERTIFICATE_VALIDITY_INVALID, "validTo is before validFrom");
        }
        certificates.register(c);
        effects.add(new Effect.CertificateChanged(current, c.supplierId(), c.certificateId(), false));
    }

    /**
     * R-16 after the fact: deliveries already booked from the supplier that no certificate covers any
     * more raise a MAJOR deviation per period they were booked in; closed periods' figures stay as
     * they are, and what is still on hand of their batches stops being sustainable now.
     */
    private void revokeCertificate(CertificateRevoked r, long current, List<Effect> effects) {
        if (!certificates.isKnown(r.supplierId(), r.certificateId())) {
            throw new Refusal(RefusalCode.CERTIFICATE_UNKNOWN, "No certificate " + r.certificateId() + " of supplier " + r.supplierId());
        }
        require(r.effectiveFrom(), RefusalCode.CERTIFICATE_INVALID, "A revocation needs an effectiveFrom date");
        certificates.revoke(r);
        effects.add(new Effect.CertificateChanged(current, r.supplierId(), r.certificateId(), true));
        List<SupplierReceipts.Receipt> uncovered = receipts.takeUncovered(r.supplierId(), certificates);
        Map<String, List<SupplierReceipts.Receipt>> byPeriodAndMixture = new TreeMap<>();
        for (SupplierReceipts.Receipt receipt : uncovered) {
            byPeriodAndMixture.computeIfAbsent(receipt.period() + "|" + setup.mixtureOf(receipt.product()), k -> new ArrayList<>())
                    .add(receipt);
        }
        for (List<SupplierReceipts.Receipt> group : byPeriodAndMixture.values()) {
            List<Deviation.Affected> affected = new ArrayList<>();
            BigDecimal quantity = BigDecimal.ZERO;
            for (SupplierReceipts.Receipt receipt : group) {
                for (Map.Entry<String, BigDecimal> e : receipt.batches().entrySet()) {
                    affected.add(new Deviation.Affected(receipt.deliveryId(), e.getKey(), n(e.getValue())));
                    quantity = quantity.add(e.getValue());
                }
            }
            SupplierReceipts.Receipt first = group.get(0);
            String unit = first.unit();
            raise(new Deviations.Finding(Deviation.Rule.SUPPLIER_NOT_COVERED, first.period(),
                    "revoked:" + r.certificateId() + ":" + setup.mixtureOf(first.product()), quantity, unit,
                    group.stream().map(SupplierReceipts.Receipt::deliveryId).toList(), affected, r.effectiveFrom(),
                    "Certificate " + r.certificateId() + " of supplier " + r.supplierId() + " was revoked from "
                            + r.effectiveFrom() + ", before deliveries booked in " + first.period() + ": "
                            + affected.stream().map(a -> a.deliveryId() + "/" + a.batchId() + " " + a.quantity().toPlainString()
                            + " " + unit).collect(Collectors.joining(", "))), current, effects);
        }
        disqualifyOnHand(uncovered, r, current, effects);
    }

    private void disqualifyOnHand(List<SupplierReceipts.Receipt> uncovered, CertificateRevoked r, long current,
                                  List<Effect> effects) {
        Map<String, BigDecimal> perBatch = new LinkedHashMap<>();
        for (SupplierReceipts.Receipt receipt : uncovered) {
            receipt.batches().forEach((batchId, amount) -> perBatch.merge(batchId, amount, BigDecimal::add));
        }
        for (Map.Entry<String, BigDecimal> e : perBatch.entrySet()) {
            BigDecimal taken = stock.disqualify(e.getKey(), e.getValue());
            if (taken.signum() > 0) {
                Batch batch = stock.get(e.getKey());
                Unit unit = accounts.of(batch.mixture, setup.unitOfMixture(batch.mixture)).unit;
                effects.add(new Effect.Disqualified(current, batch.id, batch.product, unit, n(taken), r.supplierId(),
                        r.certificateId()));
            }
        }
    }

    // ------------------------------------------------------------------ deliveries

    /** What every delivery is checked for before anything is booked or queued. */
    private record Checked(LocalDate date, YearMonth datedPeriod, String mixture, Unit unit, BigDecimal factor,
                           BigDecimal quantity) {
    }

    private Checked check(String deliveryId, OffsetDateTime occurredAt, String product, Quantity quantity,
                          List<BatchLine> lines, Measure density, Measure heatingValue, Origin origin) {
        requireConfigured();
        if (origin == null) {
            throw new Refusal(RefusalCode.DUPLICATE_DELIVERY, "Delivery " + deliveryId + " is already on this site's log");
        }
        require(occurredAt, RefusalCode.OCCURRED_AT_REQUIRED, "occurredAt is required");
        ProductConfig productConfig = setup.product(product, siteId);
        if (quantity == null || quantity.amount().signum() <= 0) {
            throw new Refusal(RefusalCode.QUANTITY_NOT_POSITIVE, "quantity must be positive");
        }
        LocalDate date = setup.grid.localDate(occurredAt);
        YearMonth dated = setup.grid.periodOf(YearMonth.from(date));
        if (dated.isBefore(setup.grid.first())) {
            throw new Refusal(RefusalCode.DELIVERY_BEFORE_FIRST_PERIOD, "Dated before the site's first period " + setup.grid.first());
        }
        BigDecimal factor;
        try {
            factor = UnitConversion.factor(quantity.unit(), productConfig.unit(),
                    density != null ? density : productConfig.density(),
                    heatingValue != null ? heatingValue : productConfig.lowerHeatingValue());
        } catch (UnitConversion.NotConvertible e) {
            throw new Refusal(RefusalCode.valueOf(e.code()), e.getMessage());
        }
        BigDecimal sustainable = BigDecimal.ZERO;
        for (BatchLine line : lines) {
            if (line == null || line.amount() == null || line.amount().signum() <= 0) {
                throw new Refusal(RefusalCode.LINE_AMOUNT_NOT_POSITIVE, "Every sustainable line needs a positive amount");
            }
            sustainable = sustainable.add(line.amount());
        }
        if (sustainable.compareTo(quantity.amount()) > 0) {
            throw new Refusal(RefusalCode.SUSTAINABLE_EXCEEDS_QUANTITY, "The sustainable lines (" + sustainable.toPlainString()
                    + ") exceed the physical quantity (" + quantity.amount().toPlainString() + ")");
        }
        BigDecimal converted = UnitConversion.convert(quantity.amount(), factor);
        if (!Bounds.amountFits(converted)) {
            throw new Refusal(RefusalCode.EVENT_UNPROCESSABLE, "quantity in " + productConfig.unit() + " is beyond what the read models hold");
        }
        return new Checked(date, dated, setup.mixtureOf(product), productConfig.unit(), factor, converted);
    }

    private void inbound(InboundDelivery d, long current, List<Effect> effects, Origin origin) {
        Checked checked = check(d.deliveryId(), d.occurredAt(), d.product(), d.quantity(), d.sustainable(),
                d.density(), d.lowerHeatingValue(), origin);
        Set<String> ids = new HashSet<>();
        for (BatchLine line : d.sustainable()) {
            if (isBlank(line.batchId())) {
                throw new Refusal(RefusalCode.BATCH_ID_REQUIRED, "Every sustainable batch received needs a batchId");
            }
            if (line.characteristics() == null) {
                throw new Refusal(RefusalCode.CHARACTERISTICS_REQUIRED, "Batch " + line.batchId() + " needs its characteristics (R-02)");
            }
            if (!ids.add(line.batchId())) {
                throw new Refusal(RefusalCode.BATCH_LINE_DUPLICATE, "Batch " + line.batchId() + " is listed twice in one delivery");
            }
            stock.checkReceivable(line.batchId(), d.product(), line.characteristics());
        }
        if (queueIfLater(d, d.deliveryId(), Direction.INBOUND, d.occurredAt(), d.product(), d.sustainable(), checked, origin,
                current, effects)) {
            return;
        }
        LocalDate date = checked.date();
        // a supplier without a valid certificate on the delivery date delivers nothing sustainable
        // a transfer's batches were covered where they came from; their supplier evidence travels with them
        boolean supplierCovered = d.sustainable().isEmpty() || origin == Origin.RECEIVED
                || (origin == Origin.RELEASED && transits.containsKey(d.deliveryId()))
                || certificates.covers(d.supplierId(), d.product(), date);
        List<Portion> received = new ArrayList<>();
        BigDecimal sustainable = BigDecimal.ZERO;
        BigDecimal notCovered = BigDecimal.ZERO;
        List<Effect> refusedBatches = new ArrayList<>();
        for (BatchLine line : d.sustainable()) {
            BigDecimal amount = UnitConversion.convert(line.amount(), checked.factor());
            Optional<String> ghgFailure = GhgThreshold.failure(line.characteristics());
            if (ghgFailure.isPresent()) {
                // refused as sustainable; the physical quantity is still booked, as non-sustainable
                refusedBatches.add(new Effect.BatchRefused(current, d.deliveryId(), line.batchId(),
                        RefusalCode.GHG_SAVING_BELOW_THRESHOLD, ghgFailure.get(), active));
            } else if (!supplierCovered) {
                notCovered = notCovered.add(amount);
            } else {
                received.add(new Portion(line.batchId(), d.product(), amount, line.characteristics()));
                sustainable = sustainable.add(amount);
            }
        }
        BigDecimal nonSustainable = checked.quantity().subtract(sustainable);
        MixtureAccounts.Account account = accounts.of(checked.mixture(), checked.unit());
        account.nonSustainableIn = account.nonSustainableIn.add(nonSustainable);
        physical(checked.mixture(), checked.quantity());
        Map<String, BigDecimal> perBatch = new LinkedHashMap<>();
        for (Portion portion : received) {
            stock.receive(portion, checked.mixture());
            perBatch.put(portion.batchId(), portion.amount());
        }
        boolean late = checked.datedPeriod().isBefore(active);
        deliveries.book(d.deliveryId(), Booking.inbound(checked.mixture(), nonSustainable, perBatch));
        if (!perBatch.isEmpty() && d.supplierId() != null) {
            receipts.add(new SupplierReceipts.Receipt(d.deliveryId(), d.supplierId(), d.product(), checked.unit().symbol(), date,
                    active, perBatch));
        }
        effects.add(new Effect.Booked(current, origin, d.deliveryId(), Direction.INBOUND, d.occurredAt(), active,
                checked.datedPeriod(), d.product(), checked.unit(), checked.quantity(), sustainable, nonSustainable,
                List.copyOf(received), BigDecimal.ZERO, late));
        effects.addAll(refusedBatches);
        if (!supplierCovered) {
            raise(new Deviations.Finding(Deviation.Rule.SUPPLIER_NOT_COVERED, active, d.deliveryId(), notCovered,
                    checked.unit().symbol(), List.of(d.deliveryId()), List.of(), date,
                    "Supplier " + d.supplierId() + " held no valid certificate for " + d.product() + " on " + date + "; "
                            + notCovered.toPlainString() + " " + checked.unit() + " booked as non-sustainable"), current, effects);
        }
        if (isBlank(d.transportDocument())) {
            // OBSERVATION
            raise(new Deviations.Finding(Deviation.Rule.TRANSPORT_DOCUMENT_MISSING, active, d.deliveryId(), checked.quantity(),
                    checked.unit().symbol(), List.of(d.deliveryId()), List.of(), date,
                    "Inbound " + d.deliveryId() + " has no transport document"), current, effects);
        }
        if (late) {
            latePosting(d.deliveryId(), checked, date, current, effects);
        }
        coverOpenClaims(checked.mixture(), current, effects);
    }

    private void outbound(OutboundDelivery d, long current, List<Effect> effects, Origin origin) {
        Checked checked = check(d.deliveryId(), d.occurredAt(), d.product(), d.quantity(), d.sustainable(),
                d.density(), d.lowerHeatingValue(), origin);
        for (BatchLine line : d.sustainable()) {
            if (line.characteristics() != null) {
                throw new Refusal(RefusalCode.OUTBOUND_CHARACTERISTICS_NOT_ALLOWED,
                        "An outbound takes the characteristics of the batches it draws from (R-03); do not send them");
            }
            if (setup.config.allocation() == AllocationPolicy.EXPLICIT && isBlank(line.batchId())) {
                throw new Refusal(RefusalCode.ALLOCATION_BATCH_REQUIRED,
                        "This site allocates explicitly: every sustainable line must name its batch");
            }
            Optional<String> batchProduct = isBlank(line.batchId()) ? Optional.empty() : stock.productOf(line.batchId());
            if (batchProduct.isPresent() && !setup.mixtureOf(batchProduct.get()).equals(checked.mixture())) {
                // characteristics move only within a product or a declared blend group
                throw new Refusal(RefusalCode.MIXTURE_MISMATCH, "Batch " + line.batchId() + " is " + batchProduct.get()
                        + ", which is not blended with " + d.product() + " at this site");
            }
        }
        if (d.movesToAnotherSite() && d.destinationSiteId().equals(siteId)) {
            throw new Refusal(RefusalCode.TRANSFER_TO_SAME_SITE, "A transfer goes to another site; movements within a site are "
                    + "not in or out of its balance (R-06)");
        }
        if (queueIfLater(d, d.deliveryId(), Direction.OUTBOUND, d.occurredAt(), d.product(), d.sustainable(), checked, origin,
                current, effects)) {
            return;
        }
        List<OpenClaim> toDraw = claims(d.deliveryId(), d.product(), d.sustainable(), checked);
        if (d.movesToAnotherSite() && stock.wouldDraw(toDraw) == null) {
            // what travels is drawn at once, all of it; a transfer never leaves a claim open
            throw new Refusal(RefusalCode.TRANSFER_NOT_COVERED, "A transfer carries only sustainable quantity on hand: "
                    + d.product() + " at " + siteId + " does not cover the " + total(toDraw).toPlainString() + " " + checked.unit()
                    + " claimed");
        }
        // drawn from the named batch, else FIFO; what cannot be drawn stays open
        BigDecimal claimed = BigDecimal.ZERO;
        List<Portion> portions = new ArrayList<>();
        List<OpenClaim> newClaims = new ArrayList<>();
        for (OpenClaim claim : toDraw) {
            claimed = claimed.add(claim.remaining);
            stock.draw(claim, portions);
            if (claim.remaining.signum() > 0) {
                newClaims.add(claim);
            }
        }
        BigDecimal nonSustainable = checked.quantity().subtract(claimed);
        MixtureAccounts.Account account = accounts.of(checked.mixture(), checked.unit());
        account.claimed = account.claimed.add(claimed);
        account.nonSustainableOut = account.nonSustainableOut.add(nonSustainable);
        physical(checked.mixture(), checked.quantity().negate());
        claims.addAll(newClaims);
        BigDecimal open = newClaims.stream().map(c -> c.remaining).reduce(BigDecimal.ZERO, BigDecimal::add);
        deliveries.book(d.deliveryId(), Booking.outbound(checked.mixture(), nonSustainable, claimed, portions));
        boolean late = checked.datedPeriod().isBefore(active);
        effects.add(new Effect.Booked(current, origin, d.deliveryId(), Direction.OUTBOUND, d.occurredAt(), active,
                checked.datedPeriod(), d.product(), checked.unit(), checked.quantity(), claimed, nonSustainable,
                List.copyOf(portions), open, late));
        if (d.movesToAnotherSite()) {
            fixed.put(d.deliveryId(), RefusalCode.TRANSFER_NOT_REVERSIBLE);
            effects.add(new Effect.TransferDispatched(current, d.deliveryId(), d.destinationSiteId(), d.occurredAt(), d.product(),
                    checked.unit(), checked.quantity(), List.copyOf(portions)));
        }
        LocalDate date = checked.date();
        if (open.signum() > 0 && setup.config.overdraft() == OverdraftPolicy.FORBID) {
            // R-10 under FORBID: a claim not covered at once is a deviation at once
            raise(new Deviations.Finding(Deviation.Rule.OVERDRAFT, active, d.deliveryId(), open, checked.unit().symbol(),
                    List.of(d.deliveryId()), List.of(), date, "Outbound " + d.deliveryId() + " claims " + open.toPlainString()
                    + " " + checked.unit() + " more sustainable " + d.product() + " than is on hand"), current, effects);
        }
        if (late) {
            latePosting(d.deliveryId(), checked, date, current, effects);
        }
    }

    /** a delivery dated after the earliest open period waits until every earlier period is closed. */
    private boolean queueIfLater(LedgerEvent event, String deliveryId, Direction direction, OffsetDateTime occurredAt,
                                 String product, List<BatchLine> lines, Checked checked, Origin origin, long current,
                                 List<Effect> effects) {
        if (origin == Origin.RELEASED || !checked.datedPeriod().isAfter(active)) {
            return false;
        }
        BigDecimal sustainable = BigDecimal.ZERO;
        for (BatchLine line : lines) {
            sustainable = sustainable.add(UnitConversion.convert(line.amount(), checked.factor()));
        }
        pending.queue(checked.datedPeriod(), new PendingDeliveries.Waiting(deliveryId, event, checked.mixture(), checked.quantity()));
        deliveries.mark(deliveryId, DeliveryRegister.State.PENDING);
        effects.add(new Effect.Pending(current, origin, deliveryId, direction, occurredAt, checked.datedPeriod(), active,
                product, checked.unit(), checked.quantity(), sustainable, checked.quantity().subtract(sustainable)));
        return true;
    }

    /** dated in a closed period, booked in the first open one, flagged, an observation. */
    private void latePosting(String deliveryId, Checked checked, LocalDate date, long current, List<Effect> effects) {
        raise(new Deviations.Finding(Deviation.Rule.LATE_POSTING, active, deliveryId, checked.quantity(), checked.unit().symbol(),
                List.of(deliveryId), List.of(), date, "Delivery " + deliveryId + " is dated in closed period "
                + checked.datedPeriod() + " and was booked in " + active), current, effects);
    }

    /** stock that arrives covers the open claims of its mixture in log order, oldest first. */
    private void coverOpenClaims(String mixture, long current, List<Effect> effects) {
        if (claims.isEmpty()) {
            return;
        }
        claims.cover(mixture, stock, (claim, portions) -> {
            deliveries.booking(claim.deliveryId).portions.addAll(portions);
            effects.add(new Effect.ClaimCovered(current, claim.deliveryId, List.copyOf(portions), claim.remaining));
        });
    }

    private List<OpenClaim> claims(String deliveryId, String product, List<BatchLine> lines, Checked checked) {
        List<OpenClaim> list = new ArrayList<>(lines.size());
        for (BatchLine line : lines) {
            list.add(new OpenClaim(deliveryId, product, checked.mixture(), isBlank(line.batchId()) ? null : line.batchId(),
                    UnitConversion.convert(line.amount(), checked.factor())));
        }
        return list;
    }

    private static BigDecimal total(List<OpenClaim> claims) {
        return n(claims.stream().map(c -> c.remaining).reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    // ------------------------------------------------------------------ transfers between sites

    /** Deliveries a reversal may not undo, with the code that says why. */
    private final Map<String, RefusalCode> fixed = new HashMap<>();
    /** Transfers that reached this site's log, by transfer id, until and after their receipt. */
    private final Map<String, TransferInTransit> transits = new HashMap<>();

    /**
     * material dispatched to this site by another site of the organisation, on its way: in
     * neither site's stock, shown as in transit. Its batches are checked now against what this site
     * knows, and again when they are received.
     */
    private void inTransit(TransferInTransit t, long current, List<Effect> effects) {
        requireConfigured();
        if (isBlank(t.transferId()) || origin(t.transferId()) == null) {
            throw new Refusal(RefusalCode.DUPLICATE_DELIVERY, "Transfer " + t.transferId() + " is already on this site's log");
        }
        ProductConfig config = setup.product(t.product(), siteId);
        if (t.quantity() == null || t.quantity().amount().signum() <= 0) {
            throw new Refusal(RefusalCode.QUANTITY_NOT_POSITIVE, "quantity must be positive");
        }
        require(t.dispatchedAt(), RefusalCode.OCCURRED_AT_REQUIRED, "dispatchedAt is required");
        BigDecimal factor = conversion(t.quantity().unit(), config);
        BigDecimal sustainable = BigDecimal.ZERO;
        List<Portion> portions = new ArrayList<>();
        for (BatchLine line : t.batches()) {
            if (line == null || isBlank(line.batchId()) || line.characteristics() == null || line.amount() == null
                    || line.amount().signum() <= 0) {
                throw new Refusal(RefusalCode.CHARACTERISTICS_REQUIRED, "Every batch in transit has an id, a positive amount and "
                        + "its characteristics (R-03)");
            }
            stock.checkReceivable(line.batchId(), t.product(), line.characteristics());
            BigDecimal amount = UnitConversion.convert(line.amount(), factor);
            portions.add(new Portion(line.batchId(), t.product(), amount, line.characteristics()));
            sustainable = sustainable.add(amount);
        }
        BigDecimal quantity = UnitConversion.convert(t.quantity().amount(), factor);
        if (sustainable.compareTo(quantity) > 0) {
            throw new Refusal(RefusalCode.SUSTAINABLE_EXCEEDS_QUANTITY, "The batches in transit exceed the quantity dispatched");
        }
        transits.put(t.transferId(), t);
        deliveries.mark(t.transferId(), DeliveryRegister.State.IN_TRANSIT);
        effects.add(new Effect.InTransit(current, t.transferId(), t.sourceSiteId(), t.dispatchedAt(), active, t.product(),
                config.unit(), n(quantity), n(sustainable), List.copyOf(portions)));
    }

    private BigDecimal conversion(Unit from, ProductConfig config) {
        try {
            return UnitConversion.factor(from, config.unit(), config.density(), config.lowerHeatingValue());
        } catch (UnitConversion.NotConvertible e) {
            throw new Refusal(RefusalCode.valueOf(e.code()), e.getMessage());
        }
    }

    /**
     * the destination confirms receipt. The batches enter its stock with their characteristics
     * unchanged, booked in the period of the receipt's date. Less received than dispatched:
     * each batch in proportion, and the sustainable quantity missing is never claimable; more: the
     * surplus is non-sustainable. A difference beyond the site's tolerance is TRANSFER_DIFFERENCE.
     */
    private void receive(TransferReceived r, long current, List<Effect> effects, Origin origin) {
        requireConfigured();
        TransferInTransit t = transits.get(r.transferId());
        DeliveryRegister.State state = r.transferId() == null ? null : deliveries.state(r.transferId());
        if (t == null) {
            throw new Refusal(RefusalCode.TRANSFER_UNKNOWN, "No transfer " + r.transferId() + " is on its way to site " + siteId);
        }
        if (state != DeliveryRegister.State.IN_TRANSIT && !(origin == Origin.RELEASED && state == DeliveryRegister.State.PENDING)) {
            throw new Refusal(RefusalCode.TRANSFER_ALREADY_RECEIVED, "Transfer " + r.transferId() + " was received already");
        }
        if (r.received() == null || r.received().amount() == null || r.received().amount().signum() <= 0) {
            throw new Refusal(RefusalCode.QUANTITY_NOT_POSITIVE, "received {amount, unit} must be positive");
        }
        ProductConfig config = setup.product(t.product(), siteId);
        Unit unit = t.quantity().unit();
        // the receipt in the unit the transfer was dispatched in, so that batches and quantity share one unit
        BigDecimal received = UnitConversion.convert(r.received().amount(), conversion(r.received().unit(), config))
                .divide(conversion(unit, config), Bounds.AMOUNT_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal dispatched = t.quantity().amount();
        List<BatchLine> lines = new ArrayList<>();
        BigDecimal lost = BigDecimal.ZERO;
        for (BatchLine line : t.batches()) {
            BigDecimal amount = received.compareTo(dispatched) >= 0 ? line.amount()
                    : line.amount().multiply(received).divide(dispatched, Bounds.AMOUNT_SCALE, RoundingMode.DOWN);
            lost = lost.add(line.amount().subtract(amount));
            if (amount.signum() > 0) {
                lines.add(new BatchLine(line.batchId(), n(amount), line.characteristics()));
            }
        }
        InboundDelivery arrived = new InboundDelivery(siteId, r.transferId(), r.occurredAt(), t.product(), new Quantity(n(received), unit),
                null, r.transportDocument(), lines, null, null, r.recordedBy());
        if (origin != Origin.RELEASED) {
            Checked checked = check(r.transferId(), r.occurredAt(), t.product(), arrived.quantity(), lines, null, null, origin);
            for (BatchLine line : lines) {
                stock.checkReceivable(line.batchId(), t.product(), line.characteristics());
            }
            if (queueIfLater(r, r.transferId(), Direction.INBOUND, r.occurredAt(), t.product(), lines, checked, origin, current,
                    effects)) {
                return;
            }
        }
        int before = effects.size();
        inbound(arrived, current, effects, origin);
        List<Portion> portions = effects.subList(before, effects.size()).stream()
                .filter(e -> e instanceof Effect.Booked b && b.deliveryId().equals(r.transferId()))
                .flatMap(e -> ((Effect.Booked) e).portions().stream()).toList();
        fixed.put(r.transferId(), RefusalCode.TRANSFER_NOT_REVERSIBLE);
        BigDecimal factor = conversion(unit, config);
        BigDecimal dispatchedHere = UnitConversion.convert(dispatched, factor);
        BigDecimal receivedHere = UnitConversion.convert(received, factor);
        effects.add(new Effect.TransferCompleted(current, r.transferId(), t.sourceSiteId(), config.unit(), n(dispatchedHere), n(receivedHere),
                n(UnitConversion.convert(lost, factor)), portions));
        BigDecimal difference = receivedHere.subtract(dispatchedHere);
        BigDecimal allowed = dispatchedHere.multiply(setup.config.stockCountTolerancePercent()).movePointLeft(2);
        if (difference.abs().compareTo(allowed) > 0) {
            raise(new Deviations.Finding(Deviation.Rule.TRANSFER_DIFFERENCE, active, r.transferId(), difference,
                    config.unit().symbol(), List.of(r.transferId()), List.of(), setup.grid.localDate(r.occurredAt()),
                    "Transfer " + r.transferId() + " from " + t.sourceSiteId() + ": dispatched "
                            + n(dispatchedHere).toPlainString() + " " + config.unit().symbol() + ", received "
                            + n(receivedHere).toPlainString() + "; the difference is beyond the tolerance of "
                            + setup.config.stockCountTolerancePercent().stripTrailingZeros().toPlainString() + " %"
                            + (lost.signum() > 0 ? "; " + n(UnitConversion.convert(lost, factor)).toPlainString() + " "
                            + config.unit().symbol() + " of sustainable quantity did not arrive and is not claimable" : "")),
                    current, effects);
        }
    }

    // ------------------------------------------------------------------ processing

    /**
     * a processing run consumes its input, drawn like an outbound but all or nothing, and makes
     * its outputs. Each input batch drawn yields its own batch of every output (R-04: never averaged),
     * in proportion to the output's share of the input; its characteristics follow
     * {@link ProcessingRule}. No output exceeds input × factor (R-14 with factors).
     */
    private void process(ProcessingRun r, long current, List<Effect> effects, Origin origin) {
        Checked checked = check(r.runId(), r.occurredAt(), r.inputProduct(), r.inputQuantity(), r.inputs(), null, null, origin);
        for (BatchLine line : r.inputs()) {
            if (line.characteristics() != null) {
                throw new Refusal(RefusalCode.OUTBOUND_CHARACTERISTICS_NOT_ALLOWED,
                        "A processing run's inputs take the characteristics of the batches they draw from (R-03); do not send them");
            }
            if (setup.config.allocation() == AllocationPolicy.EXPLICIT && isBlank(line.batchId())) {
                throw new Refusal(RefusalCode.ALLOCATION_BATCH_REQUIRED,
                        "This site allocates explicitly: every input line must name its batch");
            }
            Optional<String> batchProduct = isBlank(line.batchId()) ? Optional.empty() : stock.productOf(line.batchId());
            if (batchProduct.isPresent() && !setup.mixtureOf(batchProduct.get()).equals(checked.mixture())) {
                throw new Refusal(RefusalCode.MIXTURE_MISMATCH, "Batch " + line.batchId() + " is " + batchProduct.get()
                        + ", not " + r.inputProduct());
            }
        }
        if (r.outputs().isEmpty()) {
            throw new Refusal(RefusalCode.PROCESSING_OUTPUT_REQUIRED, "A processing run makes at least one output");
        }
        List<Made> made = new ArrayList<>();
        Set<String> products = new HashSet<>();
        for (int i = 0; i < r.outputs().size(); i++) {
            ProcessingRun.Output o = r.outputs().get(i);
            if (o == null || isBlank(o.product())) {
                throw new Refusal(RefusalCode.PROCESSING_OUTPUT_REQUIRED, "outputs[" + i + "] names no product");
            }
            if (!products.add(o.product())) {
                throw new Refusal(RefusalCode.PROCESSING_OUTPUT_DUPLICATE, "Product " + o.product() + " is listed twice as an output");
            }
            ProductConfig config = setup.product(o.product(), siteId);
            if (o.quantity() == null || o.quantity().amount() == null || o.quantity().amount().signum() <= 0) {
                throw new Refusal(RefusalCode.QUANTITY_NOT_POSITIVE, "outputs[" + i + "].quantity must be positive");
            }
            if (o.factor() == null || o.factor().signum() <= 0) {
                throw new Refusal(RefusalCode.PROCESSING_FACTOR_INVALID, "outputs[" + i + "].factor must be positive");
            }
            BigDecimal most = r.inputQuantity().amount().multiply(o.factor());
            if (o.quantity().amount().compareTo(most) > 0) {
                throw new Refusal(RefusalCode.PROCESSING_OUTPUT_EXCEEDS_FACTOR, "outputs[" + i + "]: " + n(o.quantity().amount())
                        .toPlainString() + " " + o.quantity().unit() + " of " + o.product() + " is more than the input "
                        + n(r.inputQuantity().amount()).toPlainString() + " " + r.inputQuantity().unit() + " × factor "
                        + n(o.factor()).toPlainString() + " = " + n(most).toPlainString() + " allows (R-14)");
            }
            List<FieldProblem> problems = ProcessingRule.problems("outputs[" + i + "].declared", o.declared());
            if (!problems.isEmpty()) {
                throw new Refusal(RefusalCode.PROCESSING_OUTPUT_INVALID, describe(problems));
            }
            String movementId = r.runId() + ".out" + (i + 1);
            if (movementId.length() + 8 > Bounds.IDENTIFIER_LENGTH) {
                throw new Refusal(RefusalCode.EVENT_UNPROCESSABLE, "runId is too long to name its outputs");
            }
            if (origin(movementId) == null || (origin == Origin.RELEASED && deliveries.knows(movementId))) {
                throw new Refusal(RefusalCode.DUPLICATE_DELIVERY, "Output " + movementId + " is already on this site's log");
            }
            BigDecimal quantity = UnitConversion.convert(o.quantity().amount(), conversion(o.quantity().unit(), config));
            if (!Bounds.amountFits(quantity)) {
                throw new Refusal(RefusalCode.EVENT_UNPROCESSABLE, "outputs[" + i + "].quantity is beyond what the read models hold");
            }
            made.add(new Made(i, o, movementId, config.unit(), quantity, setup.mixtureOf(o.product())));
        }
        if (queueIfLater(r, r.runId(), Direction.OUTBOUND, r.occurredAt(), r.inputProduct(), r.inputs(), checked, origin, current,
                effects)) {
            return;
        }
        List<OpenClaim> toDraw = claims(r.runId(), r.inputProduct(), r.inputs(), checked);
        List<Portion> drawable = stock.wouldDraw(toDraw);
        if (drawable == null) {
            throw new Refusal(RefusalCode.PROCESSING_INPUT_NOT_COVERED, "The sustainable input claimed (" + total(toDraw)
                    .toPlainString() + " " + checked.unit() + " of " + r.inputProduct() + ") is not on hand; a run draws all of it at once");
        }
        // every output batch: checked against its profile and R-01 before anything is booked
        Map<String, List<Portion>> outputs = new LinkedHashMap<>();
        List<Effect.ProcessedLink> links = new ArrayList<>();
        for (Made m : made) {
            List<Portion> batches = new ArrayList<>();
            for (int k = 0; k < drawable.size(); k++) {
                Portion input = drawable.get(k);
                Characteristics characteristics = ProcessingRule.output(input.characteristics(), m.output().declared());
                List<FieldProblem> problems = MaterialProfile.byId(characteristics.profile())
                        .map(profile -> profile.validate(characteristics)).orElse(List.of());
                if (!problems.isEmpty()) {
                    throw new Refusal(RefusalCode.PROCESSING_OUTPUT_INVALID, "The " + m.output().product() + " made of batch "
                            + input.batchId() + " would not be a valid " + characteristics.profile() + " batch: " + describe(problems));
                }
                Optional<String> ghgFailure = GhgThreshold.failure(characteristics);
                if (ghgFailure.isPresent()) {
                    // R-19 holds for what a site makes as for what it receives; a run is booked whole or not at all
                    throw new Refusal(RefusalCode.PROCESSING_OUTPUT_INVALID, "The " + m.output().product() + " made of batch "
                            + input.batchId() + " would not be sustainable (R-19): " + ghgFailure.get());
                }
                String batchId = m.movementId() + "." + (k + 1);
                if (stock.isKnown(batchId)) {
                    throw new Refusal(RefusalCode.BATCH_ID_IN_USE, "Batch " + batchId + " is already known at this site");
                }
                BigDecimal amount = input.amount().multiply(m.quantity()).divide(checked.quantity(), Bounds.AMOUNT_SCALE,
                        RoundingMode.DOWN);
                if (amount.signum() > 0) {
                    batches.add(new Portion(batchId, m.output().product(), n(amount), characteristics));
                    links.add(new Effect.ProcessedLink(input.batchId(), n(input.amount()), batchId, m.output().product(), n(amount)));
                }
            }
            outputs.put(m.movementId(), batches);
        }
        // the input, consumed
        List<Portion> portions = new ArrayList<>();
        BigDecimal claimed = BigDecimal.ZERO;
        for (OpenClaim claim : toDraw) {
            claimed = claimed.add(claim.remaining);
            stock.draw(claim, portions);
        }
        BigDecimal nonSustainable = checked.quantity().subtract(claimed);
        MixtureAccounts.Account account = accounts.of(checked.mixture(), checked.unit());
        account.claimed = account.claimed.add(claimed);
        account.nonSustainableOut = account.nonSustainableOut.add(nonSustainable);
        physical(checked.mixture(), checked.quantity().negate());
        deliveries.book(r.runId(), Booking.outbound(checked.mixture(), nonSustainable, claimed, portions));
        fixed.put(r.runId(), RefusalCode.PROCESSING_NOT_REVERSIBLE);
        boolean late = checked.datedPeriod().isBefore(active);
        effects.add(new Effect.Booked(current, origin == Origin.RELEASED ? Origin.RELEASED : origin, r.runId(), Direction.OUTBOUND,
                r.occurredAt(), active, checked.datedPeriod(), r.inputProduct(), checked.unit(), checked.quantity(), claimed,
                nonSustainable, List.copyOf(portions), BigDecimal.ZERO, late));
        // the outputs, made
        for (Made m : made) {
            List<Portion> batches = outputs.get(m.movementId());
            BigDecimal sustainable = BigDecimal.ZERO;
            Map<String, BigDecimal> perBatch = new LinkedHashMap<>();
            for (Portion p : batches) {
                stock.receive(p, m.mixture());
                perBatch.put(p.batchId(), p.amount());
                sustainable = sustainable.add(p.amount());
            }
            BigDecimal outNonSustainable = m.quantity().subtract(sustainable);
            MixtureAccounts.Account out = accounts.of(m.mixture(), m.unit());
            out.nonSustainableIn = out.nonSustainableIn.add(outNonSustainable);
            physical(m.mixture(), m.quantity());
            deliveries.book(m.movementId(), Booking.inbound(m.mixture(), outNonSustainable, perBatch));
            fixed.put(m.movementId(), RefusalCode.PROCESSING_NOT_REVERSIBLE);
            effects.add(new Effect.Booked(current, Origin.RECORDED, m.movementId(), Direction.INBOUND, r.occurredAt(), active,
                    checked.datedPeriod(), m.output().product(), m.unit(), n(m.quantity()), n(sustainable), n(outNonSustainable),
                    List.copyOf(batches), BigDecimal.ZERO, late));
        }
        effects.add(new Effect.Processed(current, r.runId(), List.copyOf(links)));
        if (late) {
            latePosting(r.runId(), checked, checked.date(), current, effects);
        }
        for (Made m : made) {
            coverOpenClaims(m.mixture(), current, effects);
        }
    }

    private record Made(int index, ProcessingRun.Output output, String movementId, Unit unit, BigDecimal quantity,
                        String mixture) {
    }

    private static String describe(List<FieldProblem> problems) {
        return problems.stream().limit(10).map(p -> p.field() + " " + p.code()).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ reversal

    private void reverse(DeliveryReversed r, long current, List<Effect> effects) {
        requireConfigured();
        DeliveryRegister.State state = deliveries.state(r.deliveryId());
        if (state == null || state == DeliveryRegister.State.REFUSED) {
            throw new Refusal(RefusalCode.DELIVERY_UNKNOWN, "No delivery " + r.deliveryId() + " at site " + siteId);
        }
        if (state == DeliveryRegister.State.REVERSED) {
            throw new Refusal(RefusalCode.DELIVERY_ALREADY_REVERSED, "Delivery " + r.deliveryId() + " is already reversed");
        }
        if (state == DeliveryRegister.State.CLOSED) {
            throw new Refusal(RefusalCode.REVERSAL_PERIOD_CLOSED, "Delivery " + r.deliveryId()
                    + " is in a closed period, which never changes; post a compensating delivery instead");
        }
        if (state == DeliveryRegister.State.PENDING) {
            YearMonth period = pending.remove(r.deliveryId()).orElse(null);
            deliveries.mark(r.deliveryId(), DeliveryRegister.State.REVERSED);
            effects.add(new Effect.Reversed(current, r.deliveryId(), period, List.of()));
            return;
        }
        if (state == DeliveryRegister.State.IN_TRANSIT) {
            throw new Refusal(RefusalCode.TRANSFER_NOT_REVERSIBLE, "Transfer " + r.deliveryId()
                    + " is in transit; receive it, then transfer back what should not have come");
        }
        RefusalCode fixedCode = fixed.get(r.deliveryId());
        if (fixedCode != null) {
            throw new Refusal(fixedCode, "Delivery " + r.deliveryId() + " moved material to or from another site or through"
                    + " processing; correct it with a new transfer or run, not a reversal");
        }
        Booking b = deliveries.booking(r.deliveryId());
        MixtureAccounts.Account account = accounts.get(b.mixture);
        if (b.direction == Direction.INBOUND) {
            Optional<String> drawn = stock.drawnFrom(b.received);
            if (drawn.isPresent()) {
                throw new Refusal(RefusalCode.REVERSAL_INBOUND_DRAWN, "Batch " + drawn.get() + " of " + r.deliveryId()
                        + " has been drawn from or merged; reverse those outbounds first");
            }
            account.nonSustainableIn = account.nonSustainableIn.subtract(b.nonSustainable);
            physical(b.mixture, b.received.values().stream().reduce(b.nonSustainable, BigDecimal::add).negate());
            stock.unreceive(b.received);
            receipts.remove(r.deliveryId());
            deliveries.mark(r.deliveryId(), DeliveryRegister.State.REVERSED);
            effects.add(new Effect.Reversed(current, r.deliveryId(), active, List.of()));
            return;
        }
        account.claimed = account.claimed.subtract(b.claimed);
        account.nonSustainableOut = account.nonSustainableOut.subtract(b.nonSustainable);
        physical(b.mixture, b.claimed.add(b.nonSustainable));
        claims.drop(r.deliveryId());
        Set<String> mixtures = new LinkedHashSet<>();
        for (Portion p : b.portions) {
            stock.giveBack(p);
            mixtures.add(stock.get(p.batchId()).mixture);
        }
        deliveries.mark(r.deliveryId(), DeliveryRegister.State.REVERSED);
        effects.add(new Effect.Reversed(current, r.deliveryId(), active, List.copyOf(b.portions)));
        for (String mixture : mixtures) {
            coverOpenClaims(mixture, current, effects);
        }
    }

    // ------------------------------------------------------------------ period close

    private void closePeriod(PeriodCloseRequested r, long current, List<Effect> effects) {
        requireConfigured();
        YearMonth period = require(r.periodId(), RefusalCode.PERIOD_REQUIRED, "periodId (YYYY-MM) is required");
        if (period.isBefore(setup.grid.first()) || !setup.grid.isPeriodStart(period)) {
            throw new Refusal(RefusalCode.PERIOD_UNKNOWN, period + " is not the start of a period of this site");
        }
        if (period.isBefore(active)) {
            throw new Refusal(RefusalCode.PERIOD_ALREADY_CLOSED, "Period " + period + " is already closed");
        }
        if (period.isAfter(active)) {
            throw new Refusal(RefusalCode.PERIOD_CLOSE_OUT_OF_ORDER, "Periods close in order: close " + active + " first");
        }
        PeriodResult result = BalanceSheet.of(siteId, active, PeriodResult.Status.CLOSED, stock, accounts, claims, setup);
        closed.add(result);
        effects.add(new Effect.PeriodClosed(current, result));
        // claims still open become uncovered where they happened; the shortfall is recorded, never carried
        Map<String, List<OpenClaim>> uncovered = new TreeMap<>();
        for (OpenClaim claim : claims.closeAsUncovered()) {
            effects.add(new Effect.Uncovered(current, claim.deliveryId, active, claim.product, claim.batchId,
                    n(claim.remaining)));
            uncovered.computeIfAbsent(claim.mixture, m -> new ArrayList<>()).add(claim);
        }
        for (Map.Entry<String, List<OpenClaim>> e : uncovered.entrySet()) {
            BigDecimal shortfall = e.getValue().stream().map(c -> c.remaining).reduce(BigDecimal.ZERO, BigDecimal::add);
            List<String> ids = e.getValue().stream().map(c -> c.deliveryId).distinct().toList();
            Unit unit = accounts.get(e.getKey()).unit;
            raise(new Deviations.Finding(Deviation.Rule.NEGATIVE_BALANCE_AT_PERIOD_END, active, e.getKey(), shortfall,
                    unit.symbol(), ids, List.of(), setup.grid.lastDay(active), "Mass balance not met for " + e.getKey()
                    + " at the end of " + active + ": " + shortfall.toPlainString() + " " + unit
                    + " claimed as sustainable was not covered and is not sustainable"), current, effects);
        }
        stock.carryForward();
        deliveries.closePeriod();
        accounts.reset();
        active = setup.grid.next(active);
        releasePending(current, effects);
    }

    /** the deliveries waiting for the period that just became the earliest open one, in log order. */
    private void releasePending(long current, List<Effect> effects) {
        for (PendingDeliveries.Waiting w : pending.release(active)) {
            List<Effect> own = new ArrayList<>();
            try {
                if (w.event() instanceof InboundDelivery in) {
                    inbound(in, current, own, Origin.RELEASED);
                } else if (w.event() instanceof TransferReceived receipt) {
                    receive(receipt, current, own, Origin.RELEASED);
                } else if (w.event() instanceof ProcessingRun run) {
                    process(run, current, own, Origin.RELEASED);
                } else {
                    outbound((OutboundDelivery) w.event(), current, own, Origin.RELEASED);
                }
                effects.addAll(own);
            } catch (Refusal refusal) {
                deliveries.mark(w.deliveryId(), DeliveryRegister.State.REFUSED);
                effects.add(new Effect.ReleaseRefused(current, w.deliveryId(), active, refusal.code, refusal.getMessage()));
            }
        }
    }

    // ------------------------------------------------------------------ the one merge allowed

    /**
     * Per mixture, the physical quantity on hand by the books: everything booked in less everything
     * booked out, sustainable or not, over the site's whole history. What a stock count is compared with.
     */
    private final Map<String, BigDecimal> physical = new HashMap<>();

    private void physical(String mixture, BigDecimal delta) {
        physical.merge(mixture, delta, BigDecimal::add);
    }

    /**
     * A physical stock count (dip readings, tank gauging) against the book stock of the product's
     * mixture at the count's place in the log. A difference beyond the site's tolerance (a share of
     * the book stock; any difference when the books say nothing is there) is a deviation,
     * STOCK_COUNT_DIFFERENCE, an OBSERVATION that escalates like the others.
     */
    private void stockCount(StockCounted c, long current, List<Effect> effects) {
        requireConfigured();
        ProductConfig config = setup.product(c.product(), siteId);
        if (c.counted() == null || c.counted().amount() == null) {
            throw new Refusal(RefusalCode.QUANTITY_NOT_POSITIVE, "counted {amount, unit} is required");
        }
        if (c.counted().amount().signum() < 0) {
            throw new Refusal(RefusalCode.QUANTITY_NOT_POSITIVE, "A counted quantity is not negative");
        }
        require(c.countedAt(), RefusalCode.OCCURRED_AT_REQUIRED, "countedAt is required");
        BigDecimal counted;
        try {
            counted = UnitConversion.convert(c.counted().amount(), UnitConversion.factor(c.counted().unit(), config.unit(),
                    config.density(), config.lowerHeatingValue()));
        } catch (UnitConversion.NotConvertible e) {
            throw new Refusal(RefusalCode.UNIT_CONVERSION_MISSING, e.getMessage());
        }
        String mixture = setup.mixtureOf(c.product());
        BigDecimal book = physical.getOrDefault(mixture, BigDecimal.ZERO);
        BigDecimal difference = counted.subtract(book);
        BigDecimal allowed = book.abs().multiply(setup.config.stockCountTolerancePercent()).movePointLeft(2);
        if (difference.abs().compareTo(allowed) > 0) {
            raise(new Deviations.Finding(Deviation.Rule.STOCK_COUNT_DIFFERENCE, active, "count-" + c.product() + "-" + c.countedAt(),
                    difference, config.unit().symbol(), List.of(), List.of(), setup.grid.localDate(c.countedAt()),
                    "Counted " + counted.stripTrailingZeros().toPlainString() + " " + config.unit().symbol() + " of " + mixture
                            + " (" + (c.method() == null ? "count" : c.method()) + "), the books say "
                            + book.stripTrailingZeros().toPlainString() + "; the difference "
                            + difference.stripTrailingZeros().toPlainString() + " is beyond the tolerance of "
                            + setup.config.stockCountTolerancePercent().stripTrailingZeros().toPlainString() + " %"),
                    current, effects);
        }
    }

    /** The products whose opening stock was declared. */
    private final Set<String> openingDeclared = new HashSet<>();

    /**
     * Going live: the stock a site holds when it starts, batch by batch, validated like an inbound's
     * batches; only before any delivery is booked, in the first period, once per product. The
     * batches open the period and come first in FIFO order; one whose GHG saving is too low
     * is refused and not taken into stock.
     */
    private void openingStock(OpeningStockDeclared o, long current, List<Effect> effects) {
        requireConfigured();
        if (deliveries.anyBooked() || !active.equals(setup.grid.first())) {
            throw new Refusal(RefusalCode.OPENING_STOCK_TOO_LATE, "Opening stock is declared in the first period "
                    + setup.grid.first() + " before any delivery is booked");
        }
        if (openingDeclared.contains(o.product())) {
            throw new Refusal(RefusalCode.OPENING_STOCK_ALREADY_DECLARED, "The opening stock of " + o.product() + " was declared");
        }
        ProductConfig config = setup.product(o.product(), siteId);
        if (o.batches().isEmpty()) {
            throw new Refusal(RefusalCode.QUANTITY_NOT_POSITIVE, "An opening stock lists at least one batch");
        }
        Set<String> ids = new HashSet<>();
        for (BatchLine line : o.batches()) {
            if (line == null || isBlank(line.batchId())) {
                throw new Refusal(RefusalCode.BATCH_ID_REQUIRED, "Every batch of an opening stock needs a batchId");
            }
            if (line.characteristics() == null) {
                throw new Refusal(RefusalCode.CHARACTERISTICS_REQUIRED, "Batch " + line.batchId() + " needs its characteristics (R-02)");
            }
            if (line.amount() == null || line.amount().signum() <= 0) {
                throw new Refusal(RefusalCode.LINE_AMOUNT_NOT_POSITIVE, "Every batch of an opening stock needs a positive amount");
            }
            if (!ids.add(line.batchId())) {
                throw new Refusal(RefusalCode.BATCH_LINE_DUPLICATE, "Batch " + line.batchId() + " is listed twice");
            }
            stock.checkReceivable(line.batchId(), o.product(), line.characteristics());
        }
        String id = "OPENING-" + o.product();
        String mixture = setup.mixtureOf(o.product());
        List<Portion> opened = new ArrayList<>();
        List<Effect> refusedBatches = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (BatchLine line : o.batches()) {
            Optional<String> ghgFailure = GhgThreshold.failure(line.characteristics());
            if (ghgFailure.isPresent()) {
                refusedBatches.add(new Effect.BatchRefused(current, id, line.batchId(), RefusalCode.GHG_SAVING_BELOW_THRESHOLD,
                        ghgFailure.get(), active));
                continue;
            }
            Portion portion = new Portion(line.batchId(), o.product(), line.amount(), line.characteristics());
            stock.open(portion, mixture);
            opened.add(portion);
            total = total.add(line.amount());
        }
        openingDeclared.add(o.product());
        physical(mixture, total);
        OffsetDateTime start = setup.grid.first().atDay(1).atStartOfDay(setup.grid.zone()).toOffsetDateTime();
        effects.add(new Effect.Booked(current, Origin.RECORDED, id, Direction.INBOUND, start, active, active, o.product(),
                config.unit(), total, total, BigDecimal.ZERO, List.copyOf(opened), BigDecimal.ZERO, false));
        effects.addAll(refusedBatches);
    }

    private void merge(BatchesMerged m, long current, List<Effect> effects) {
        requireConfigured();
        if (m.sourceBatchIds().size() < 2 || new HashSet<>(m.sourceBatchIds()).size() != m.sourceBatchIds().size()) {
            throw new Refusal(RefusalCode.MERGE_INVALID, "A merge needs at least two different source batches");
        }
        if (isBlank(m.targetBatchId()) || stock.isKnown(m.targetBatchId())) {
            throw new Refusal(RefusalCode.BATCH_ID_IN_USE, "The merged batch needs a new batch id");
        }
        List<Batch> sources = new ArrayList<>();
        for (String id : m.sourceBatchIds()) {
            Batch b = stock.get(id);
            if (b == null || b.onHand.signum() <= 0) {
                throw new Refusal(RefusalCode.BATCH_NOT_ON_HAND, "Batch " + id + " has nothing on hand to merge");
            }
            if (!b.product.equals(m.product())) {
                throw new Refusal(RefusalCode.MERGE_PRODUCT_DIFFERS, "Batch " + id + " is " + b.product + ", not " + m.product());
            }
            sources.add(b);
        }
        var merged = MergeRule.merged(sources);
        List<Portion> given = new ArrayList<>();
        Batch target = stock.merge(m.targetBatchId(), sources, merged, given);
        claims.renameBatches(m.sourceBatchIds(), target.id);
        effects.add(new Effect.Merged(current, target.product, target.id, List.copyOf(given), n(target.mergedIn), merged));
        coverOpenClaims(target.mixture, current, effects);
    }

    // ------------------------------------------------------------------ deviations

    private void raise(Deviations.Finding finding, long current, List<Effect> effects) {
        deviations.raise(finding, setup.config.escalation())
                .ifPresent(d -> effects.add(new Effect.DeviationRaised(current, d)));
    }

    // ------------------------------------------------------------------ queries

    public String siteId() {
        return siteId;
    }

    /** The sequence number of the last event applied. */
    public long sequence() {
        return seq;
    }

    public Optional<SiteConfigured> configuration() {
        return Optional.ofNullable(setup).map(s -> s.config);
    }

    public Optional<YearMonth> earliestOpenPeriod() {
        return Optional.ofNullable(active);
    }

    public List<PeriodResult> closedPeriods() {
        return List.copyOf(closed);
    }

    /** A closed period's result, the running balance of the earliest open one, or what waits in a later one. */
    public Optional<PeriodResult> balance(YearMonth period) {
        if (active == null || period.isBefore(setup.grid.first()) || !setup.grid.isPeriodStart(period)) {
            return Optional.empty();
        }
        if (period.isBefore(active)) {
            return closed.stream().filter(r -> r.periodId().equals(period)).findFirst();
        }
        if (period.equals(active)) {
            return Optional.of(BalanceSheet.of(siteId, active, PeriodResult.Status.OPEN, stock, accounts, claims, setup));
        }
        return Optional.of(BalanceSheet.waiting(siteId, period, pending.quantities(period), setup));
    }

    /** Batches on hand now, with their characteristics, in FIFO order. */
    public List<Stock> stock() {
        return stock.inFifoOrder().stream()
                .filter(b -> b.onHand.signum() > 0)
                .map(b -> new Stock(b.id, b.product, b.mixture, n(b.onHand), b.characteristics))
                .toList();
    }

    public record Stock(String batchId, String product, String mixture, BigDecimal onHand,
                        eu.massbalance.contracts.Characteristics characteristics) {
    }

    public List<Deviation> deviations() {
        return deviations.all();
    }

    public Optional<Deviation> deviation(String deviationId) {
        return deviations.get(deviationId);
    }

    /** Whether a delivery of this id was ever on this site's log, refused ones included. */
    public boolean knowsDelivery(String deliveryId) {
        return deliveries.knows(deliveryId);
    }

    /** Delivery ids recorded but waiting for an earlier period to close, in log order per period. */
    public Map<YearMonth, List<String>> pendingDeliveries() {
        return pending.ids();
    }

    /** Everything observable about this site, as values: equal snapshots mean equal states. */
    public record Snapshot(long sequence, SiteConfigured configuration, YearMonth earliestOpenPeriod,
                           List<PeriodResult> closedPeriods, Optional<PeriodResult> current, List<Stock> stock,
                           List<Deviation> deviations, Map<YearMonth, List<String>> pending) {
    }

    public Snapshot snapshot() {
        return new Snapshot(seq, configuration().orElse(null), active, closedPeriods(),
                active == null ? Optional.empty() : balance(active), stock(), deviations(), pendingDeliveries());
    }

    private void requireConfigured() {
        if (setup == null) {
            throw new Refusal(RefusalCode.SITE_NOT_CONFIGURED, "Site " + siteId + " is not configured");
        }
    }

    /** Numbers as they are reported: no trailing zeros, zero as 0. */
    static BigDecimal n(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }
}
