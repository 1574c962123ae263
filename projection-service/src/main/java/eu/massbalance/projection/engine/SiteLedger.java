package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.UnitConversion;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.BatchesMerged;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.CertificateRevoked;
import eu.massbalance.contracts.event.DeliveryReversed;
import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.DeviationClosed;
import eu.massbalance.contracts.event.DeviationReclassified;
import eu.massbalance.contracts.event.EventBounds;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import eu.massbalance.projection.engine.Effect.Direction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One site's mass balance: its state and {@link #apply(LedgerEvent)}, which books each event of
 * the site's log and returns what it did. Plain Java and deterministic: no clock, no randomness,
 * ids derived from content, so the same events in the same order always give the same state and
 * the same effects. A refused event is an {@link Effect.Refused} and changes nothing: every
 * handler checks everything before it changes anything.
 */
public final class SiteLedger {

    /** The refusal of an event that cannot be processed at all. */
    public static final String UNPROCESSABLE = "EVENT_UNPROCESSABLE";

    private final String siteId;
    private long seq;

    private SiteConfigured config;
    private PeriodGrid grid;
    private final Map<String, ProductConfig> products = new HashMap<>();
    private final Map<String, String> mixtureOf = new HashMap<>();

    /** The earliest open period: the one deliveries are drawn against. */
    private YearMonth active;
    private boolean anyDeliveryBooked;

    private final Certificates certificates = new Certificates();
    private final Escalation escalation = new Escalation();

    /** Batches of the active period: carried opening stock and batches received in it. */
    private final Map<String, Batch> batches = new LinkedHashMap<>();
    /** Per mixture, the batches with stock on hand, in FIFO order (R-11: first receipt). */
    private final Map<String, TreeMap<Long, Batch>> available = new HashMap<>();
    /** Every batch id ever received here: a batch received again must match and keeps its place. */
    private final Map<String, KnownBatch> knownBatches = new HashMap<>();
    private long receipts;

    private final Map<String, Account> accounts = new TreeMap<>();
    private final List<OpenClaim> openClaims = new ArrayList<>();
    private final Map<String, BookedDelivery> booked = new HashMap<>();
    private final Map<String, DeliveryState> deliveries = new HashMap<>();
    private final TreeMap<YearMonth, List<PendingDelivery>> pending = new TreeMap<>();

    private final List<PeriodResult> closed = new ArrayList<>();
    private final Map<String, Deviation> deviations = new LinkedHashMap<>();

    public SiteLedger(String siteId) {
        this.siteId = Objects.requireNonNull(siteId, "siteId");
    }

    // ------------------------------------------------------------------ apply

    public Applied apply(LedgerEvent event) {
        long current = ++seq;
        List<Effect> effects = new ArrayList<>(4);
        try {
            if (event == null) {
                throw new Refusal("EVENT_INVALID", "No event");
            }
            withinBounds(event);
            if (!siteId.equals(event.siteId())) {
                throw new Refusal("SITE_MISMATCH", "Event for site " + event.siteId() + " applied to site " + siteId);
            }
            dispatch(event, current, effects);
        } catch (Refusal refusal) {
            effects.clear();
            effects.add(refused(current, event, refusal));
        }
        return new Applied(current, List.copyOf(effects));
    }

    /**
     * An event with a value beyond what the read models hold (an amount beyond their precision, a
     * date out of range, a control character) is set aside before anything computes with it. The
     * ledger's gate admits no such event; this guards the log against any other writer.
     */
    private static void withinBounds(LedgerEvent event) {
        List<FieldProblem> problems = EventBounds.problems(event);
        if (!problems.isEmpty()) {
            throw new Refusal(UNPROCESSABLE, "Values out of bounds: " + problems.stream().limit(10)
                    .map(p -> p.field() + " " + p.code()).collect(Collectors.joining(", ")));
        }
    }

    /**
     * An event the projection could not store or apply for a reason of its own (not the
     * infrastructure's): it takes its place in the site's sequence and changes nothing.
     */
    public Applied setAside(LedgerEvent event, String reason) {
        long current = ++seq;
        return new Applied(current, List.of(refused(current, event, new Refusal(UNPROCESSABLE, reason))));
    }

    private void dispatch(LedgerEvent event, long current, List<Effect> effects) {
        if (event instanceof InboundDelivery in) {
            inbound(in, current, effects, false);
        } else if (event instanceof OutboundDelivery out) {
            outbound(out, current, effects, false);
        } else if (event instanceof PeriodCloseRequested close) {
            closePeriod(close, current, effects);
        } else if (event instanceof DeliveryReversed reversal) {
            reverse(reversal, current, effects);
        } else if (event instanceof SiteConfigured configured) {
            configure(configured, current, effects);
        } else if (event instanceof CertificateRegistered registered) {
            registerCertificate(registered, current, effects);
        } else if (event instanceof CertificateRevoked revoked) {
            revokeCertificate(revoked, current, effects);
        } else if (event instanceof BatchesMerged merge) {
            merge(merge, current, effects);
        } else if (event instanceof DeviationReclassified reclassified) {
            reclassify(reclassified, current, effects);
        } else if (event instanceof DeviationActionPlanned planned) {
            planAction(planned, current, effects);
        } else if (event instanceof DeviationClosed closedDeviation) {
            closeDeviation(closedDeviation, current, effects);
        } else {
            throw new Refusal("EVENT_UNKNOWN", "Unknown event " + event.getClass().getSimpleName());
        }
    }

    private static Effect.Refused refused(long seq, LedgerEvent event, Refusal refusal) {
        String type = event == null ? "null" : event.getClass().getSimpleName();
        return new Effect.Refused(seq, type, reference(event), refusal.code, refusal.getMessage());
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
        } else if (event instanceof DeviationReclassified d) {
            return d.deviationId();
        } else if (event instanceof DeviationActionPlanned d) {
            return d.deviationId();
        } else if (event instanceof DeviationClosed d) {
            return d.deviationId();
        }
        return event == null ? null : event.siteId();
    }

    // ------------------------------------------------------------------ site configuration

    private void configure(SiteConfigured c, long current, List<Effect> effects) {
        // 1, 2, 3, 4, 6 or 12 months; more than 3 only with a stated reason; never more than 12
        if (!PeriodGrid.ALLOWED_MONTHS.contains(c.periodMonths())) {
            throw new Refusal("PERIOD_LENGTH_INVALID", "periodMonths must be 1, 2, 3, 4, 6 or 12; was " + c.periodMonths());
        }
        if (c.periodMonths() > 3 && isBlank(c.periodReason())) {
            throw new Refusal("PERIOD_REASON_REQUIRED", "A period longer than 3 months needs a stated reason (seasonal harvest)");
        }
        require(c.firstPeriod(), "FIRST_PERIOD_REQUIRED", "firstPeriod (YYYY-MM) is required");
        ZoneId zone;
        try {
            zone = ZoneId.of(c.timeZone());
        } catch (DateTimeException e) {
            throw new Refusal("TIME_ZONE_INVALID", "Unknown time zone " + c.timeZone());
        }
        if (c.products().isEmpty()) {
            throw new Refusal("PRODUCTS_REQUIRED", "A site keeps at least one product");
        }
        Map<String, ProductConfig> newProducts = new HashMap<>();
        for (ProductConfig p : c.products()) {
            if (p == null || isBlank(p.product()) || p.unit() == null) {
                throw new Refusal("PRODUCT_INVALID", "Every product needs a name and an accounting unit");
            }
            if (newProducts.put(p.product(), p) != null) {
                throw new Refusal("PRODUCT_DUPLICATE", "Product " + p.product() + " is listed twice");
            }
        }
        Map<String, String> newMixtures = new HashMap<>();
        for (SiteConfigured.BlendGroup g : c.blendGroups()) {
            if (g == null || isBlank(g.name()) || g.products().size() < 2) {
                throw new Refusal("BLEND_GROUP_INVALID", "A blend group needs a name and at least two products");
            }
            Unit unit = null;
            for (String product : g.products()) {
                ProductConfig p = newProducts.get(product);
                if (p == null) {
                    throw new Refusal("BLEND_GROUP_PRODUCT_UNKNOWN", "Blend group " + g.name() + " names unknown product " + product);
                }
                if (newMixtures.put(product, g.name()) != null) {
                    throw new Refusal("BLEND_GROUP_OVERLAP", "Product " + product + " is in more than one blend group");
                }
                if (unit != null && unit != p.unit()) {
                    throw new Refusal("BLEND_GROUP_UNIT_MISMATCH", "Products of blend group " + g.name() + " must share one accounting unit");
                }
                unit = p.unit();
            }
        }
        newProducts.keySet().forEach(p -> newMixtures.putIfAbsent(p, p));
        if (c.escalation().occurrences() < 1 || c.escalation().windowMonths() < 1) {
            throw new Refusal("ESCALATION_POLICY_INVALID", "Escalation needs at least 1 occurrence and a window of at least 1 month");
        }
        PeriodGrid newGrid = new PeriodGrid(c.firstPeriod(), c.periodMonths(), zone);
        if (config != null && (anyDeliveryBooked || !closed.isEmpty()) && !newGrid.equals(grid)) {
            throw new Refusal("PERIOD_GRID_LOCKED", "The first period, period length and time zone cannot change once deliveries are booked");
        }
        for (Batch b : batches.values()) {
            ProductConfig p = newProducts.get(b.product);
            if (p == null || p.unit() != products.get(b.product).unit() || !newMixtures.get(b.product).equals(b.mixture)) {
                throw new Refusal("PRODUCT_IN_USE", "Product " + b.product + " has stock; its unit and mixture cannot change");
            }
        }
        config = c;
        grid = newGrid;
        products.clear();
        products.putAll(newProducts);
        mixtureOf.clear();
        mixtureOf.putAll(newMixtures);
        if (active == null) {
            active = c.firstPeriod();
        }
        effects.add(new Effect.Configured(current, c));
    }

    private void registerCertificate(CertificateRegistered c, long current, List<Effect> effects) {
        if (isBlank(c.supplierId()) || isBlank(c.certificateId()) || c.validFrom() == null) {
            throw new Refusal("CERTIFICATE_INVALID", "A certificate needs a supplier, an id and a validFrom date");
        }
        if (c.validTo() != null && c.validTo().isBefore(c.validFrom())) {
            throw new Refusal("CERTIFICATE_VALIDITY_INVALID", "validTo is before validFrom");
        }
        certificates.register(c);
        effects.add(new Effect.CertificateChanged(current, c.supplierId(), c.certificateId(), false));
    }

    private void revokeCertificate(CertificateRevoked r, long current, List<Effect> effects) {
        if (!certificates.isKnown(r.supplierId(), r.certificateId())) {
            throw new Refusal("CERTIFICATE_UNKNOWN", "No certificate " + r.certificateId() + " of supplier " + r.supplierId());
        }
        require(r.effectiveFrom(), "CERTIFICATE_INVALID", "A revocation needs an effectiveFrom date");
        certificates.revoke(r);
        effects.add(new Effect.CertificateChanged(current, r.supplierId(), r.certificateId(), true));
    }

    // ------------------------------------------------------------------ deliveries (R-01..R-03, R-07, R-09, R-11, R-15, R-16, R-19)

    /** What every delivery is checked for before anything is booked or queued. */
    private record Checked(YearMonth datedPeriod, String mixture, Unit unit, BigDecimal factor, BigDecimal quantity) {
    }

    private Checked check(String deliveryId, OffsetDateTime occurredAt, String product, Quantity quantity,
                          List<BatchLine> lines, Measure density, Measure heatingValue, boolean released) {
        requireConfigured();
        if (isBlank(deliveryId)) {
            throw new Refusal("DELIVERY_ID_REQUIRED", "deliveryId is required");
        }
        if (!released && deliveries.containsKey(deliveryId) && deliveries.get(deliveryId) != DeliveryState.REFUSED) {
            throw new Refusal("DUPLICATE_DELIVERY", "Delivery " + deliveryId + " is already on this site's log");
        }
        require(occurredAt, "OCCURRED_AT_REQUIRED", "occurredAt is required");
        ProductConfig productConfig = products.get(product);
        if (productConfig == null) {
            throw new Refusal("PRODUCT_NOT_AT_SITE", "Product " + product + " is not kept at site " + siteId);
        }
        if (quantity == null || quantity.amount().signum() <= 0) {
            throw new Refusal("QUANTITY_NOT_POSITIVE", "quantity must be positive");
        }
        YearMonth dated = grid.periodOf(occurredAt);
        if (dated.isBefore(grid.first())) {
            throw new Refusal("DELIVERY_BEFORE_FIRST_PERIOD", "Dated before the site's first period " + grid.first());
        }
        BigDecimal factor;
        try {
            factor = UnitConversion.factor(quantity.unit(), productConfig.unit(),
                    density != null ? density : productConfig.density(),
                    heatingValue != null ? heatingValue : productConfig.lowerHeatingValue());
        } catch (UnitConversion.NotConvertible e) {
            throw new Refusal(e.code(), e.getMessage());
        }
        BigDecimal sustainable = BigDecimal.ZERO;
        for (BatchLine line : lines) {
            if (line == null || line.amount() == null || line.amount().signum() <= 0) {
                throw new Refusal("LINE_AMOUNT_NOT_POSITIVE", "Every sustainable line needs a positive amount");
            }
            sustainable = sustainable.add(line.amount());
        }
        if (sustainable.compareTo(quantity.amount()) > 0) {
            throw new Refusal("SUSTAINABLE_EXCEEDS_QUANTITY", "The sustainable lines (" + sustainable.toPlainString()
                    + ") exceed the physical quantity (" + quantity.amount().toPlainString() + ")");
        }
        BigDecimal converted = UnitConversion.convert(quantity.amount(), factor);
        if (!Bounds.amountFits(converted)) {
            throw new Refusal(UNPROCESSABLE, "quantity in " + productConfig.unit() + " is beyond what the read models hold");
        }
        return new Checked(dated, mixtureOf.get(product), productConfig.unit(), factor, converted);
    }

    private void inbound(InboundDelivery d, long current, List<Effect> effects, boolean released) {
        Checked checked = check(d.deliveryId(), d.occurredAt(), d.product(), d.quantity(), d.sustainable(),
                d.density(), d.lowerHeatingValue(), released);
        Set<String> ids = new HashSet<>();
        for (BatchLine line : d.sustainable()) {
            if (isBlank(line.batchId())) {
                throw new Refusal("BATCH_ID_REQUIRED", "Every sustainable batch received needs a batchId");
            }
            if (line.characteristics() == null) {
                throw new Refusal("CHARACTERISTICS_REQUIRED", "Batch " + line.batchId() + " needs its characteristics (R-02)");
            }
            if (!ids.add(line.batchId())) {
                throw new Refusal("BATCH_LINE_DUPLICATE", "Batch " + line.batchId() + " is listed twice in one delivery");
            }
            KnownBatch known = knownBatches.get(line.batchId());
            if (known != null && !known.product.equals(d.product())) {
                throw new Refusal("BATCH_PRODUCT_CONFLICT", "Batch " + line.batchId() + " is " + known.product + ", not " + d.product());
            }
            // the same batch id again adds to the batch only with identical characteristics
            if (known != null && !known.characteristics.identity().equals(line.characteristics().identity())) {
                throw new Refusal("BATCH_CHARACTERISTICS_CONFLICT", "Batch " + line.batchId()
                        + " was received before with other characteristics; a batch's characteristics are identical in every field");
            }
        }
        if (queueIfLater(d, d.deliveryId(), checked, current, effects, released)) {
            return;
        }
        LocalDate date = grid.localDate(d.occurredAt());
        boolean supplierCovered = d.sustainable().isEmpty() || certificates.covers(d.supplierId(), d.product(), date);
        List<Portion> received = new ArrayList<>();
        BigDecimal sustainable = BigDecimal.ZERO;
        BigDecimal notCovered = BigDecimal.ZERO;
        for (BatchLine line : d.sustainable()) {
            BigDecimal amount = UnitConversion.convert(line.amount(), checked.factor());
            Optional<String> ghgFailure = GhgThreshold.failure(line.characteristics());
            if (ghgFailure.isPresent()) {
                // refused as sustainable; the physical quantity is still booked, as non-sustainable
                effects.add(new Effect.BatchRefused(current, d.deliveryId(), line.batchId(), "GHG_SAVING_BELOW_THRESHOLD",
                        ghgFailure.get()));
            } else if (!supplierCovered) {
                notCovered = notCovered.add(amount);
            } else {
                received.add(new Portion(line.batchId(), d.product(), amount, line.characteristics()));
                sustainable = sustainable.add(amount);
            }
        }
        BigDecimal nonSustainable = checked.quantity().subtract(sustainable);
        Account account = account(checked.mixture(), checked.unit());
        account.nonSustainableIn = account.nonSustainableIn.add(nonSustainable);
        Map<String, BigDecimal> perBatch = new LinkedHashMap<>();
        for (Portion portion : received) {
            Batch batch = receive(portion, checked.mixture());
            batch.add(portion.amount());
            makeAvailable(batch);
            perBatch.put(batch.id, portion.amount());
        }
        boolean late = checked.datedPeriod().isBefore(active);
        booked.put(d.deliveryId(), BookedDelivery.inbound(d.deliveryId(), checked.mixture(), nonSustainable, perBatch));
        deliveries.put(d.deliveryId(), DeliveryState.BOOKED);
        anyDeliveryBooked = true;
        effects.add(new Effect.Booked(current, d.deliveryId(), Direction.INBOUND, d.occurredAt(), active,
                checked.datedPeriod(), d.product(), checked.unit(), checked.quantity(), sustainable, nonSustainable,
                List.copyOf(received), BigDecimal.ZERO, late));
        if (!supplierCovered) {
            // MAJOR, and the quantity is booked as non-sustainable
            raise(Deviation.Rule.SUPPLIER_NOT_COVERED, active, d.deliveryId(), notCovered, checked.unit(), List.of(d.deliveryId()),
                    date, "Supplier " + d.supplierId() + " held no valid certificate for " + d.product() + " on " + date
                            + "; " + notCovered.toPlainString() + " " + checked.unit() + " booked as non-sustainable",
                    current, effects);
        }
        if (isBlank(d.transportDocument())) {
            raise(Deviation.Rule.TRANSPORT_DOCUMENT_MISSING, active, d.deliveryId(), checked.quantity(), checked.unit(),
                    List.of(d.deliveryId()), date, "Inbound " + d.deliveryId() + " has no transport document", current, effects);
        }
        if (late) {
            lateObservation(d.deliveryId(), checked, date, current, effects);
        }
        coverOpenClaims(checked.mixture(), current, effects);
    }

    private void outbound(OutboundDelivery d, long current, List<Effect> effects, boolean released) {
        Checked checked = check(d.deliveryId(), d.occurredAt(), d.product(), d.quantity(), d.sustainable(),
                d.density(), d.lowerHeatingValue(), released);
        for (BatchLine line : d.sustainable()) {
            if (line.characteristics() != null) {
                throw new Refusal("OUTBOUND_CHARACTERISTICS_NOT_ALLOWED",
                        "An outbound takes the characteristics of the batches it draws from (R-03); do not send them");
            }
            if (config.allocation() == AllocationPolicy.EXPLICIT && isBlank(line.batchId())) {
                throw new Refusal("ALLOCATION_BATCH_REQUIRED", "This site allocates explicitly: every sustainable line must name its batch");
            }
            KnownBatch known = isBlank(line.batchId()) ? null : knownBatches.get(line.batchId());
            if (known != null && !mixtureOf.get(known.product).equals(checked.mixture())) {
                // characteristics move only within a product or a declared blend group
                throw new Refusal("MIXTURE_MISMATCH", "Batch " + line.batchId() + " is " + known.product
                        + ", which is not blended with " + d.product() + " at this site");
            }
        }
        if (queueIfLater(d, d.deliveryId(), checked, current, effects, released)) {
            return;
        }
        BigDecimal claimed = BigDecimal.ZERO;
        List<Portion> portions = new ArrayList<>();
        List<OpenClaim> newClaims = new ArrayList<>();
        for (BatchLine line : d.sustainable()) {
            BigDecimal amount = UnitConversion.convert(line.amount(), checked.factor());
            claimed = claimed.add(amount);
            OpenClaim claim = new OpenClaim(d.deliveryId(), checked.mixture(), isBlank(line.batchId()) ? null : line.batchId(), amount);
            draw(claim, portions);
            if (claim.remaining.signum() > 0) {
                newClaims.add(claim);
            }
        }
        BigDecimal nonSustainable = checked.quantity().subtract(claimed);
        Account account = account(checked.mixture(), checked.unit());
        account.claimed = account.claimed.add(claimed);
        account.nonSustainableOut = account.nonSustainableOut.add(nonSustainable);
        openClaims.addAll(newClaims);
        BigDecimal open = newClaims.stream().map(c -> c.remaining).reduce(BigDecimal.ZERO, BigDecimal::add);
        booked.put(d.deliveryId(), BookedDelivery.outbound(d.deliveryId(), checked.mixture(), nonSustainable, claimed, portions));
        deliveries.put(d.deliveryId(), DeliveryState.BOOKED);
        anyDeliveryBooked = true;
        boolean late = checked.datedPeriod().isBefore(active);
        effects.add(new Effect.Booked(current, d.deliveryId(), Direction.OUTBOUND, d.occurredAt(), active,
                checked.datedPeriod(), d.product(), checked.unit(), checked.quantity(), claimed, nonSustainable,
                List.copyOf(portions), open, late));
        if (open.signum() > 0 && config.overdraft() == OverdraftPolicy.FORBID) {
            LocalDate date = grid.localDate(d.occurredAt());
            // R-10 under FORBID: a claim not covered at once is a deviation at once
            raise(Deviation.Rule.OVERDRAFT, active, d.deliveryId(), open, checked.unit(), List.of(d.deliveryId()), date,
                    "Outbound " + d.deliveryId() + " claims " + open.toPlainString() + " " + checked.unit()
                            + " more sustainable " + d.product() + " than is on hand", current, effects);
        }
        if (late) {
            lateObservation(d.deliveryId(), checked, grid.localDate(d.occurredAt()), current, effects);
        }
    }

    /** a delivery dated after the earliest open period waits until every earlier period is closed. */
    private boolean queueIfLater(LedgerEvent event, String deliveryId, Checked checked, long current, List<Effect> effects,
                                 boolean released) {
        if (released || !checked.datedPeriod().isAfter(active)) {
            return false;
        }
        pending.computeIfAbsent(checked.datedPeriod(), p -> new ArrayList<>())
                .add(new PendingDelivery(current, deliveryId, event, checked.mixture(), checked.quantity()));
        deliveries.put(deliveryId, DeliveryState.PENDING);
        effects.add(new Effect.Pending(current, deliveryId, checked.datedPeriod(), active));
        return true;
    }

    /** dated in a closed period, booked in the first open one, flagged, an observation. */
    private void lateObservation(String deliveryId, Checked checked, LocalDate date, long current, List<Effect> effects) {
        raise(Deviation.Rule.LATE_POSTING, active, deliveryId, checked.quantity(), checked.unit(), List.of(deliveryId), date,
                "Delivery " + deliveryId + " is dated in closed period " + checked.datedPeriod() + " and was booked in " + active,
                current, effects);
    }

    private Batch receive(Portion portion, String mixture) {
        Batch batch = batches.get(portion.batchId());
        if (batch == null) {
            KnownBatch known = knownBatches.computeIfAbsent(portion.batchId(),
                    id -> new KnownBatch(portion.product(), portion.characteristics(), ++receipts));
            batch = new Batch(portion.batchId(), portion.product(), mixture, known.characteristics, known.rank);
            batches.put(batch.id, batch);
        }
        return batch;
    }

    // ------------------------------------------------------------------ allocation

    /** Draws what is on hand for a claim: from the batch it names, else FIFO over its mixture. */
    private void draw(OpenClaim claim, List<Portion> portions) {
        if (claim.batchId != null) {
            Batch batch = batches.get(claim.batchId);
            if (batch != null && batch.onHand.signum() > 0) {
                portions.add(take(batch, claim));
            }
            return;
        }
        TreeMap<Long, Batch> fifo = available.get(claim.mixture);
        while (claim.remaining.signum() > 0 && fifo != null && !fifo.isEmpty()) {
            portions.add(take(fifo.firstEntry().getValue(), claim));
        }
    }

    private Portion take(Batch batch, OpenClaim claim) {
        BigDecimal amount = batch.onHand.min(claim.remaining);
        batch.draw(amount);
        claim.remaining = claim.remaining.subtract(amount);
        if (batch.onHand.signum() == 0) {
            TreeMap<Long, Batch> fifo = available.get(batch.mixture);
            if (fifo != null) {
                fifo.remove(batch.rank);
            }
        }
        return new Portion(batch.id, batch.product, amount, batch.characteristics);
    }

    private void makeAvailable(Batch batch) {
        if (batch.onHand.signum() > 0) {
            available.computeIfAbsent(batch.mixture, m -> new TreeMap<>()).put(batch.rank, batch);
        }
    }

    /** stock that arrives covers the open claims of its mixture in log order, oldest first. */
    private void coverOpenClaims(String mixture, long current, List<Effect> effects) {
        if (openClaims.isEmpty()) {
            return;
        }
        Iterator<OpenClaim> it = openClaims.iterator();
        while (it.hasNext()) {
            OpenClaim claim = it.next();
            if (!claim.mixture.equals(mixture)) {
                continue;
            }
            List<Portion> portions = new ArrayList<>(2);
            draw(claim, portions);
            if (!portions.isEmpty()) {
                booked.get(claim.deliveryId).portions.addAll(portions);
                effects.add(new Effect.ClaimCovered(current, claim.deliveryId, List.copyOf(portions), claim.remaining));
            }
            if (claim.remaining.signum() == 0) {
                it.remove();
            }
        }
    }

    // ------------------------------------------------------------------ reversal

    private void reverse(DeliveryReversed r, long current, List<Effect> effects) {
        requireConfigured();
        DeliveryState state = deliveries.get(r.deliveryId());
        if (state == null || state == DeliveryState.REFUSED) {
            throw new Refusal("DELIVERY_UNKNOWN", "No delivery " + r.deliveryId() + " at site " + siteId);
        }
        switch (state) {
            case REVERSED -> throw new Refusal("DELIVERY_ALREADY_REVERSED", "Delivery " + r.deliveryId() + " is already reversed");
            case CLOSED -> throw new Refusal("REVERSAL_PERIOD_CLOSED", "Delivery " + r.deliveryId()
                    + " is in a closed period, which never changes; post a compensating delivery instead");
            case PENDING -> {
                YearMonth period = null;
                for (Map.Entry<YearMonth, List<PendingDelivery>> e : pending.entrySet()) {
                    if (e.getValue().removeIf(p -> p.deliveryId.equals(r.deliveryId()))) {
                        period = e.getKey();
                    }
                }
                pending.values().removeIf(List::isEmpty);
                deliveries.put(r.deliveryId(), DeliveryState.REVERSED);
                effects.add(new Effect.Reversed(current, r.deliveryId(), period, List.of()));
                return;
            }
            default -> {
                // booked in the active period: below
            }
        }
        BookedDelivery b = booked.get(r.deliveryId());
        if (b.direction == Direction.INBOUND) {
            for (Map.Entry<String, BigDecimal> e : b.received.entrySet()) {
                if (batches.get(e.getKey()).onHand.compareTo(e.getValue()) < 0) {
                    throw new Refusal("REVERSAL_INBOUND_DRAWN", "Batch " + e.getKey() + " of " + r.deliveryId()
                            + " has been drawn from or merged; reverse those outbounds first");
                }
            }
            Account account = accounts.get(b.mixture);
            account.nonSustainableIn = account.nonSustainableIn.subtract(b.nonSustainable);
            for (Map.Entry<String, BigDecimal> e : b.received.entrySet()) {
                Batch batch = batches.get(e.getKey());
                batch.add(e.getValue().negate());
                if (batch.onHand.signum() == 0) {
                    available.get(batch.mixture).remove(batch.rank);
                }
            }
            effects.add(new Effect.Reversed(current, r.deliveryId(), active, List.of()));
        } else {
            Account account = accounts.get(b.mixture);
            account.claimed = account.claimed.subtract(b.claimed);
            account.nonSustainableOut = account.nonSustainableOut.subtract(b.nonSustainable);
            openClaims.removeIf(c -> c.deliveryId.equals(r.deliveryId()));
            Set<String> mixtures = new HashSet<>();
            for (Portion p : b.portions) {
                Batch batch = batches.get(p.batchId());
                batch.draw(p.amount().negate());
                makeAvailable(batch);
                mixtures.add(batch.mixture);
            }
            effects.add(new Effect.Reversed(current, r.deliveryId(), active, List.copyOf(b.portions)));
            for (String mixture : mixtures) {
                coverOpenClaims(mixture, current, effects);
            }
        }
        booked.remove(r.deliveryId());
        deliveries.put(r.deliveryId(), DeliveryState.REVERSED);
    }

    // ------------------------------------------------------------------ period close

    private void closePeriod(PeriodCloseRequested r, long current, List<Effect> effects) {
        requireConfigured();
        YearMonth period = require(r.periodId(), "PERIOD_REQUIRED", "periodId (YYYY-MM) is required");
        if (period.isBefore(grid.first()) || !grid.isPeriodStart(period)) {
            throw new Refusal("PERIOD_UNKNOWN", period + " is not the start of a period of this site");
        }
        if (period.isBefore(active)) {
            throw new Refusal("PERIOD_ALREADY_CLOSED", "Period " + period + " is already closed");
        }
        if (period.isAfter(active)) {
            throw new Refusal("PERIOD_CLOSE_OUT_OF_ORDER", "Periods close in order: close " + active + " first");
        }
        // claims still open become uncovered; the shortfall is recorded, never carried
        Map<String, List<OpenClaim>> uncovered = new TreeMap<>();
        for (OpenClaim claim : openClaims) {
            uncovered.computeIfAbsent(claim.mixture, m -> new ArrayList<>()).add(claim);
        }
        PeriodResult result = balance(PeriodResult.Status.CLOSED);
        closed.add(result);
        effects.add(new Effect.PeriodClosed(current, result));
        for (Map.Entry<String, List<OpenClaim>> e : uncovered.entrySet()) {
            BigDecimal shortfall = e.getValue().stream().map(c -> c.remaining).reduce(BigDecimal.ZERO, BigDecimal::add);
            List<String> ids = e.getValue().stream().map(c -> c.deliveryId).distinct().toList();
            Unit unit = accounts.get(e.getKey()).unit;
            raise(Deviation.Rule.NEGATIVE_BALANCE_AT_PERIOD_END, active, e.getKey(), shortfall, unit, ids, grid.lastDay(active),
                    "Mass balance not met for " + e.getKey() + " at the end of " + active + ": " + shortfall.toPlainString()
                            + " " + unit + " claimed as sustainable was not covered and is not sustainable",
                    current, effects);
        }
        carryForward();
        active = grid.next(active);
        releasePending(current, effects);
    }

    /** surplus batch by batch, characteristics unchanged; a batch at zero is not carried. */
    private void carryForward() {
        List<Batch> carried = batches.values().stream().filter(b -> b.onHand.signum() > 0).toList();
        batches.clear();
        available.clear();
        for (Batch b : carried) {
            b.carry();
            batches.put(b.id, b);
            makeAvailable(b);
        }
        openClaims.clear();
        for (String id : booked.keySet()) {
            deliveries.put(id, DeliveryState.CLOSED);
        }
        booked.clear();
        accounts.values().forEach(Account::reset);
    }

    /** the deliveries waiting for the period that just became the earliest open one, in log order. */
    private void releasePending(long current, List<Effect> effects) {
        List<PendingDelivery> waiting = pending.remove(active);
        if (waiting == null) {
            return;
        }
        for (PendingDelivery p : waiting) {
            List<Effect> own = new ArrayList<>();
            try {
                if (p.event instanceof InboundDelivery in) {
                    inbound(in, current, own, true);
                } else {
                    outbound((OutboundDelivery) p.event, current, own, true);
                }
                effects.addAll(own);
            } catch (Refusal refusal) {
                deliveries.put(p.deliveryId, DeliveryState.REFUSED);
                effects.add(refused(current, p.event, refusal));
            }
        }
    }

    private PeriodResult balance(PeriodResult.Status status) {
        Map<String, List<Batch>> byMixture = new TreeMap<>();
        for (Batch b : batches.values()) {
            byMixture.computeIfAbsent(b.mixture, m -> new ArrayList<>()).add(b);
        }
        Set<String> mixtures = new java.util.TreeSet<>(byMixture.keySet());
        mixtures.addAll(accounts.keySet());
        List<PeriodResult.ProductBalance> lines = new ArrayList<>();
        for (String mixture : mixtures) {
            List<Batch> list = byMixture.getOrDefault(mixture, new ArrayList<>());
            list.sort(Comparator.comparingLong(b -> b.rank));
            Account account = accounts.get(mixture);
            BigDecimal opening = BigDecimal.ZERO;
            BigDecimal in = BigDecimal.ZERO;
            BigDecimal out = BigDecimal.ZERO;
            BigDecimal closing = BigDecimal.ZERO;
            List<PeriodResult.BatchBalance> batchLines = new ArrayList<>();
            for (Batch b : list) {
                opening = opening.add(b.opening);
                in = in.add(b.in);
                out = out.add(b.out);
                closing = closing.add(b.onHand);
                batchLines.add(new PeriodResult.BatchBalance(b.id, b.product, n(b.opening), n(b.in), n(b.out), n(b.mergedIn),
                        n(b.mergedOut), n(b.onHand), b.characteristics));
            }
            BigDecimal open = BigDecimal.ZERO;
            List<String> openDeliveries = new ArrayList<>();
            for (OpenClaim c : openClaims) {
                if (c.mixture.equals(mixture)) {
                    open = open.add(c.remaining);
                    if (!openDeliveries.contains(c.deliveryId)) {
                        openDeliveries.add(c.deliveryId);
                    }
                }
            }
            boolean isClosing = status == PeriodResult.Status.CLOSED;
            Unit unit = account != null ? account.unit : products.get(list.get(0).product).unit();
            BigDecimal claimed = account == null ? BigDecimal.ZERO : account.claimed;
            lines.add(new PeriodResult.ProductBalance(mixture, unit, n(opening), n(in), n(out), n(claimed),
                    n(isClosing ? open : BigDecimal.ZERO), n(isClosing ? BigDecimal.ZERO : open), n(closing),
                    n(account == null ? BigDecimal.ZERO : account.nonSustainableIn),
                    n(account == null ? BigDecimal.ZERO : account.nonSustainableOut),
                    BigDecimal.ZERO, isClosing ? List.copyOf(openDeliveries) : List.of(), List.copyOf(batchLines)));
        }
        return new PeriodResult(siteId, active, status, List.copyOf(lines));
    }

    // ------------------------------------------------------------------ the one merge allowed

    private void merge(BatchesMerged m, long current, List<Effect> effects) {
        requireConfigured();
        if (m.sourceBatchIds().size() < 2 || new HashSet<>(m.sourceBatchIds()).size() != m.sourceBatchIds().size()) {
            throw new Refusal("MERGE_INVALID", "A merge needs at least two different source batches");
        }
        if (isBlank(m.targetBatchId()) || knownBatches.containsKey(m.targetBatchId())) {
            throw new Refusal("BATCH_ID_IN_USE", "The merged batch needs a new batch id");
        }
        List<Batch> sources = new ArrayList<>();
        for (String id : m.sourceBatchIds()) {
            Batch b = batches.get(id);
            if (b == null || b.onHand.signum() <= 0) {
                throw new Refusal("BATCH_NOT_ON_HAND", "Batch " + id + " has nothing on hand to merge");
            }
            if (!b.product.equals(m.product())) {
                throw new Refusal("MERGE_PRODUCT_DIFFERS", "Batch " + id + " is " + b.product + ", not " + m.product());
            }
            sources.add(b);
        }
        Characteristics first = sources.get(0).characteristics;
        String country = first.text("countryOfOrigin").orElse(null);
        BigDecimal base = null;
        Measure highest = null;
        for (Batch b : sources) {
            Characteristics c = b.characteristics;
            if (!Objects.equals(country, c.text("countryOfOrigin").orElse(null))) {
                throw new Refusal("MERGE_COUNTRY_DIFFERS", "Batches from different countries of origin stay apart (R-05)");
            }
            Optional<Measure> transport = c.measure("transportEmissions");
            Optional<Measure> ghg = c.measure("ghgEmissions");
            if (transport.isEmpty() || ghg.isEmpty() || !transport.get().unit().equals(ghg.get().unit())) {
                throw new Refusal("MERGE_TRANSPORT_EMISSIONS_MISSING",
                        "Batch " + b.id + " must state ghgEmissions and transportEmissions in one unit to be merged");
            }
            if (!c.identity().without("ghgEmissions", "transportEmissions")
                    .equals(first.identity().without("ghgEmissions", "transportEmissions"))) {
                throw new Refusal("MERGE_CHARACTERISTICS_DIFFER", "Only the transport emissions may differ between merged batches");
            }
            BigDecimal withoutTransport = ghg.get().amount().subtract(transport.get().amount());
            if (base != null && base.compareTo(withoutTransport) != 0) {
                // batches that differ in anything but transport would be averaged
                throw new Refusal("MERGE_WOULD_AVERAGE", "The batches' emissions differ beyond transport; averaging is forbidden (R-04)");
            }
            base = withoutTransport;
            if (highest == null || transport.get().amount().compareTo(highest.amount()) > 0) {
                highest = transport.get();
            }
        }
        Characteristics merged = first
                .with("transportEmissions", highest)
                .with("ghgEmissions", new Measure(base.add(highest.amount()), highest.unit()));
        Optional<String> ghgFailure = GhgThreshold.failure(merged);
        if (ghgFailure.isPresent()) {
            throw new Refusal("GHG_SAVING_BELOW_THRESHOLD", "The merged batch would fail R-19: " + ghgFailure.get());
        }
        // a new batch, first received now: a source's place would collide with the source's own stock if it returned
        long rank = ++receipts;
        KnownBatch known = new KnownBatch(m.product(), merged, rank);
        knownBatches.put(m.targetBatchId(), known);
        Batch target = new Batch(m.targetBatchId(), m.product(), sources.get(0).mixture, merged, rank);
        BigDecimal total = BigDecimal.ZERO;
        for (Batch b : sources) {
            BigDecimal amount = b.onHand;
            b.mergedOut = b.mergedOut.add(amount);
            b.onHand = BigDecimal.ZERO;
            available.get(b.mixture).remove(b.rank);
            total = total.add(amount);
        }
        target.mergedIn = total;
        target.onHand = total;
        batches.put(target.id, target);
        makeAvailable(target);
        for (OpenClaim claim : openClaims) {
            if (claim.batchId != null && m.sourceBatchIds().contains(claim.batchId)) {
                claim.batchId = target.id;
            }
        }
        effects.add(new Effect.Merged(current, target.id, m.sourceBatchIds(), total, merged));
        coverOpenClaims(target.mixture, current, effects);
    }

    // ------------------------------------------------------------------ deviations

    private void raise(Deviation.Rule rule, YearMonth period, String cause, BigDecimal quantity, Unit unit,
                       List<String> causedBy, LocalDate on, String message, long current, List<Effect> effects) {
        String id = deviationId(period, rule, cause);
        if (deviations.containsKey(id)) {
            return;
        }
        DeviationClass assigned = escalation.classify(rule, on, config.escalation());
        DeviationClass upgradedFrom = assigned == rule.defaultClass() ? null : rule.defaultClass();
        String raisedAs = upgradedFrom == null ? "raised as " + assigned
                : "raised as " + assigned + " (upgraded from " + upgradedFrom + ": repeated within "
                + config.escalation().windowMonths() + " months, R-17)";
        Deviation deviation = new Deviation(id, siteId, period, rule, assigned, upgradedFrom, Deviation.Status.OPEN,
                n(quantity), unit.symbol(), List.copyOf(causedBy), message, on, null, null, List.of(raisedAs));
        deviations.put(id, deviation);
        effects.add(new Effect.DeviationRaised(current, deviation));
    }

    /** Derived from site, period, rule and the delivery (or mixture) that caused it: replays give the same id. */
    private String deviationId(YearMonth period, Deviation.Rule rule, String cause) {
        String key = siteId + "|" + period + "|" + rule + "|" + cause;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Deviation openDeviation(String id) {
        Deviation d = deviations.get(id);
        if (d == null) {
            throw new Refusal("DEVIATION_UNKNOWN", "No deviation " + id + " at site " + siteId);
        }
        if (d.status() == Deviation.Status.CLOSED) {
            throw new Refusal("DEVIATION_CLOSED", "Deviation " + id + " is closed");
        }
        return d;
    }

    private void reclassify(DeviationReclassified r, long current, List<Effect> effects) {
        Deviation d = openDeviation(r.deviationId());
        if (isBlank(r.reason())) {
            throw new Refusal("REASON_REQUIRED", "Reclassifying a deviation needs a written reason (R-16)");
        }
        require(r.newClass(), "CLASS_REQUIRED", "newClass is required");
        if (r.newClass() == d.deviationClass()) {
            throw new Refusal("CLASS_UNCHANGED", "Deviation " + d.deviationId() + " is already " + d.deviationClass());
        }
        Deviation changed = d.withClass(r.newClass(), "reclassified " + d.deviationClass() + " -> " + r.newClass()
                + " by " + r.requestedBy() + ": " + r.reason());
        deviations.put(d.deviationId(), changed);
        effects.add(new Effect.DeviationChanged(current, changed));
    }

    private void planAction(DeviationActionPlanned p, long current, List<Effect> effects) {
        Deviation d = openDeviation(p.deviationId());
        if (isBlank(p.actionPlan())) {
            throw new Refusal("ACTION_PLAN_REQUIRED", "An action plan needs its text (R-18)");
        }
        Deviation changed = d.withActionPlan(p.actionPlan(), "action planned by " + p.requestedBy());
        deviations.put(d.deviationId(), changed);
        effects.add(new Effect.DeviationChanged(current, changed));
    }

    private void closeDeviation(DeviationClosed c, long current, List<Effect> effects) {
        Deviation d = openDeviation(c.deviationId());
        if (d.deviationClass() == DeviationClass.MAJOR && d.status() == Deviation.Status.OPEN) {
            throw new Refusal("ACTION_PLAN_REQUIRED", "A MAJOR deviation is closed only after its action plan (R-18)");
        }
        Deviation changed = d.closed(c.resolution(), "closed by " + c.requestedBy());
        deviations.put(d.deviationId(), changed);
        effects.add(new Effect.DeviationChanged(current, changed));
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
        return Optional.ofNullable(config);
    }

    public Optional<YearMonth> earliestOpenPeriod() {
        return Optional.ofNullable(active);
    }

    public List<PeriodResult> closedPeriods() {
        return List.copyOf(closed);
    }

    /** A closed period's result, the running balance of the earliest open one, or what waits in a later one. */
    public Optional<PeriodResult> balance(YearMonth period) {
        if (active == null || period.isBefore(grid.first()) || !grid.isPeriodStart(period)) {
            return Optional.empty();
        }
        if (period.isBefore(active)) {
            return closed.stream().filter(r -> r.periodId().equals(period)).findFirst();
        }
        if (period.equals(active)) {
            return Optional.of(balance(PeriodResult.Status.OPEN));
        }
        Map<String, BigDecimal> waiting = new TreeMap<>();
        for (PendingDelivery p : pending.getOrDefault(period, List.of())) {
            waiting.merge(p.mixture, p.quantity, BigDecimal::add);
        }
        List<PeriodResult.ProductBalance> lines = waiting.entrySet().stream()
                .map(e -> new PeriodResult.ProductBalance(e.getKey(), unitOfMixture(e.getKey()), BigDecimal.ZERO,
                        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, n(e.getValue()), List.of(), List.of()))
                .toList();
        return Optional.of(new PeriodResult(siteId, period, PeriodResult.Status.OPEN, lines));
    }

    /** Batches on hand now, with their characteristics, in FIFO order. */
    public List<Stock> stock() {
        return batches.values().stream()
                .filter(b -> b.onHand.signum() > 0)
                .sorted(Comparator.comparingLong(b -> b.rank))
                .map(b -> new Stock(b.id, b.product, b.mixture, n(b.onHand), b.characteristics))
                .toList();
    }

    public record Stock(String batchId, String product, String mixture, BigDecimal onHand, Characteristics characteristics) {
    }

    public List<Deviation> deviations() {
        return List.copyOf(deviations.values());
    }

    public Optional<Deviation> deviation(String deviationId) {
        return Optional.ofNullable(deviations.get(deviationId));
    }

    /** Whether a delivery of this id was ever on this site's log, refused ones included. */
    public boolean knowsDelivery(String deliveryId) {
        return deliveries.containsKey(deliveryId);
    }

    /** Delivery ids recorded but waiting for an earlier period to close, in log order per period. */
    public Map<YearMonth, List<String>> pendingDeliveries() {
        Map<YearMonth, List<String>> result = new TreeMap<>();
        pending.forEach((period, list) -> result.put(period, list.stream().map(p -> p.deliveryId).toList()));
        return result;
    }

    /** Everything observable about this site, as values: equal snapshots mean equal states. */
    public record Snapshot(long sequence, SiteConfigured configuration, YearMonth earliestOpenPeriod,
                           List<PeriodResult> closedPeriods, Optional<PeriodResult> current, List<Stock> stock,
                           List<Deviation> deviations, Map<YearMonth, List<String>> pending) {
    }

    public Snapshot snapshot() {
        return new Snapshot(seq, config, active, closedPeriods(),
                active == null ? Optional.empty() : balance(active), stock(), deviations(), pendingDeliveries());
    }

    // ------------------------------------------------------------------ helpers

    private Unit unitOfMixture(String mixture) {
        return products.entrySet().stream().filter(e -> mixtureOf.get(e.getKey()).equals(mixture))
                .map(e -> e.getValue().unit()).findFirst().orElse(null);
    }

    private Account account(String mixture, Unit unit) {
        return accounts.computeIfAbsent(mixture, m -> new Account(unit));
    }

    private void requireConfigured() {
        if (config == null) {
            throw new Refusal("SITE_NOT_CONFIGURED", "Site " + siteId + " is not configured");
        }
    }

    private static <T> T require(T value, String code, String message) {
        if (value == null) {
            throw new Refusal(code, message);
        }
        return value;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Numbers as they are reported: no trailing zeros, zero as 0. */
    private static BigDecimal n(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    private enum DeliveryState { PENDING, BOOKED, CLOSED, REVERSED, REFUSED }

    private record KnownBatch(String product, Characteristics characteristics, long rank) {
    }

    private record PendingDelivery(long seq, String deliveryId, LedgerEvent event, String mixture, BigDecimal quantity) {
    }

    /** A batch within the active period. on hand = opening + in − out + mergedIn − mergedOut, never negative. */
    private static final class Batch {
        final String id;
        final String product;
        final String mixture;
        final Characteristics characteristics;
        final long rank;
        BigDecimal opening = BigDecimal.ZERO;
        BigDecimal in = BigDecimal.ZERO;
        BigDecimal out = BigDecimal.ZERO;
        BigDecimal mergedIn = BigDecimal.ZERO;
        BigDecimal mergedOut = BigDecimal.ZERO;
        BigDecimal onHand = BigDecimal.ZERO;

        Batch(String id, String product, String mixture, Characteristics characteristics, long rank) {
            this.id = id;
            this.product = product;
            this.mixture = mixture;
            this.characteristics = characteristics;
            this.rank = rank;
        }

        void add(BigDecimal amount) {
            in = in.add(amount);
            onHand = onHand.add(amount);
        }

        void draw(BigDecimal amount) {
            out = out.add(amount);
            onHand = onHand.subtract(amount);
        }

        void carry() {
            opening = onHand;
            in = BigDecimal.ZERO;
            out = BigDecimal.ZERO;
            mergedIn = BigDecimal.ZERO;
            mergedOut = BigDecimal.ZERO;
        }
    }

    /** A mixture's figures in the active period that are not per batch. */
    private static final class Account {
        final Unit unit;
        BigDecimal claimed = BigDecimal.ZERO;
        BigDecimal nonSustainableIn = BigDecimal.ZERO;
        BigDecimal nonSustainableOut = BigDecimal.ZERO;

        Account(Unit unit) {
            this.unit = unit;
        }

        void reset() {
            claimed = BigDecimal.ZERO;
            nonSustainableIn = BigDecimal.ZERO;
            nonSustainableOut = BigDecimal.ZERO;
        }
    }

    /** The part of an outbound's sustainable claim not yet drawn from a batch. */
    private static final class OpenClaim {
        final String deliveryId;
        final String mixture;
        String batchId;
        BigDecimal remaining;

        OpenClaim(String deliveryId, String mixture, String batchId, BigDecimal remaining) {
            this.deliveryId = deliveryId;
            this.mixture = mixture;
            this.batchId = batchId;
            this.remaining = remaining;
        }
    }

    private static final class BookedDelivery {
        final String deliveryId;
        final Direction direction;
        final String mixture;
        final BigDecimal nonSustainable;
        final BigDecimal claimed;
        final Map<String, BigDecimal> received;
        final List<Portion> portions;

        private BookedDelivery(String deliveryId, Direction direction, String mixture, BigDecimal nonSustainable,
                               BigDecimal claimed, Map<String, BigDecimal> received, List<Portion> portions) {
            this.deliveryId = deliveryId;
            this.direction = direction;
            this.mixture = mixture;
            this.nonSustainable = nonSustainable;
            this.claimed = claimed;
            this.received = received;
            this.portions = portions;
        }

        static BookedDelivery inbound(String id, String mixture, BigDecimal nonSustainable, Map<String, BigDecimal> received) {
            return new BookedDelivery(id, Direction.INBOUND, mixture, nonSustainable, BigDecimal.ZERO, received, List.of());
        }

        static BookedDelivery outbound(String id, String mixture, BigDecimal nonSustainable, BigDecimal claimed,
                                       List<Portion> portions) {
            return new BookedDelivery(id, Direction.OUTBOUND, mixture, nonSustainable, claimed, Map.of(), new ArrayList<>(portions));
        }
    }
}
