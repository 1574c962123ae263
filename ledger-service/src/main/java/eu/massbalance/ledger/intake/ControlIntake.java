package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.event.BatchesMerged;
import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.DeviationClosed;
import eu.massbalance.contracts.event.DeviationReclassified;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.ledger.log.LedgerAppender;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.problem.Rejection;
import eu.massbalance.ledger.store.AcceptedDeliveries;
import eu.massbalance.ledger.store.CommandRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * Period closes, the one merge allowed (R-05) and the compliance officer's deviation workflow,
 * each appended to the site's log once: a repeated request returns the first one's event id.
 */
@ApplicationScoped
public class ControlIntake {

    @Inject
    SiteRegistry sites;

    @Inject
    LedgerAppender appender;

    @Inject
    AcceptedDeliveries accepted;

    @Inject
    CommandRequests requests;

    @Inject
    Clock clock;

    /**
     * Requests a period close once per site and period: a second request, by a person or the
     * scheduler, returns the first one's event id. A period that has not ended is not closed.
     */
    public UUID closePeriod(String siteId, String periodId, String requestedBy) {
        SiteConfigured site = sites.require(siteId);
        YearMonth period;
        try {
            period = YearMonth.parse(periodId);
        } catch (DateTimeParseException e) {
            throw new InvalidInput("periodId", "FORMAT", "periodId is the period's first month, YYYY-MM");
        }
        long offset = ChronoUnit.MONTHS.between(site.firstPeriod(), period);
        if (offset < 0 || offset % site.periodMonths() != 0) {
            throw new InvalidInput("periodId", "PERIOD_UNKNOWN", periodId + " is not the start of a period of site " + siteId
                    + " (periods of " + site.periodMonths() + " month(s) from " + site.firstPeriod() + ")");
        }
        LocalDate end = period.plusMonths(site.periodMonths() - 1L).atEndOfMonth();
        if (!LocalDate.now(clock.withZone(ZoneId.of(site.timeZone()))).isAfter(end)) {
            throw new Rejection(Rejection.Kind.CONFLICT, "PERIOD_NOT_ENDED", "Period " + periodId + " ends on " + end
                    + "; it can be closed from the day after");
        }
        return requestClose(siteId, period, actor(requestedBy));
    }

    private UUID requestClose(String siteId, YearMonth period, String requestedBy) {
        UUID eventId = EventIds.of("close", siteId, period.toString());
        return once(siteId, "close", period.toString(), eventId, "", requestedBy,
                new PeriodCloseRequested(siteId, period, requestedBy));
    }

    /** For the scheduler: requests the close only if nobody has; returns whether it did. */
    public boolean requestCloseIfNew(String siteId, YearMonth period) {
        if (requests.exists(siteId, "close", period.toString())) {
            return false;
        }
        requestClose(siteId, period, "scheduler");
        return true;
    }

    /**
     * R-05: batches of one product that differ only in their transport emissions become one new
     * batch. Checked here for its shape; whether the batches may merge (same country of origin,
     * only transport emissions differing) the projection decides from their characteristics. Once
     * per target batch id.
     */
    public UUID merge(String siteId, String product, List<String> sourceBatchIds, String targetBatchId, String reason,
                      String actor) {
        SiteConfigured site = sites.require(siteId);
        List<FieldProblem> problems = new ArrayList<>();
        productAtSite(site, product, problems);
        Bounds.identifier("targetBatchId", targetBatchId, problems);
        List<String> sources = sourceBatchIds == null ? List.of() : sourceBatchIds;
        Bounds.listSize("sourceBatchIds", sources, Bounds.LIST_SIZE, problems);
        for (int i = 0; i < Math.min(sources.size(), Bounds.LIST_SIZE); i++) {
            Bounds.identifier("sourceBatchIds[" + i + "]", sources.get(i), problems);
        }
        if (sources.size() < 2 || new HashSet<>(sources).size() != sources.size()) {
            problems.add(new FieldProblem("sourceBatchIds", "MERGE_INVALID", "A merge needs at least two different source batches"));
        }
        if (targetBatchId != null && sources.contains(targetBatchId)) {
            problems.add(new FieldProblem("targetBatchId", "BATCH_ID_IN_USE", "The merged batch needs a new batch id"));
        }
        if (reason == null || reason.isBlank()) {
            problems.add(new FieldProblem("reason", "REQUIRED", "A merge needs its reason (R-05: an audited event)"));
        } else {
            Bounds.text("reason", reason, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        String requestedBy = actor(actor);
        BatchesMerged merge = new BatchesMerged(siteId, product, sources, targetBatchId, reason, requestedBy);
        return once(siteId, "merge", targetBatchId, EventIds.of("merge", siteId, targetBatchId),
                Hashes.sha256(product + "\n" + String.join("\n", sources) + "\n" + reason), requestedBy, merge);
    }

    /**
     * Going live: the stock of one product the site already holds, declared once, before any delivery
     * is accepted at the site, each batch validated like an inbound's (bounds, profile). The
     * projection refuses it too if a delivery was booked first (OPENING_STOCK_TOO_LATE).
     */
    public UUID declareOpeningStock(String siteId, String product, List<eu.massbalance.contracts.event.BatchLine> batches,
                                    String actor) {
        SiteConfigured site = sites.require(siteId);
        List<FieldProblem> problems = new ArrayList<>();
        productAtSite(site, product, problems);
        List<eu.massbalance.contracts.event.BatchLine> lines = batches == null ? List.of() : batches;
        if (lines.isEmpty()) {
            problems.add(new FieldProblem("batches", "REQUIRED", "An opening stock lists at least one batch"));
        }
        Bounds.listSize("batches", lines, 1000, problems);
        java.util.Set<String> ids = new HashSet<>();
        for (int i = 0; i < Math.min(lines.size(), 1000); i++) {
            eu.massbalance.contracts.event.BatchLine line = lines.get(i);
            String at = "batches[" + i + "]";
            if (line == null) {
                problems.add(new FieldProblem(at, "REQUIRED", "A batch cannot be null"));
                continue;
            }
            Bounds.identifier(at + ".batchId", line.batchId(), problems);
            if (line.batchId() != null && !ids.add(line.batchId())) {
                problems.add(new FieldProblem(at + ".batchId", "BATCH_LINE_DUPLICATE", "Batch " + line.batchId() + " is listed twice"));
            }
            if (line.amount() == null || line.amount().signum() <= 0) {
                problems.add(new FieldProblem(at + ".amount", "NOT_POSITIVE", "amount must be positive, in the product's unit"));
            } else {
                Bounds.amount(at + ".amount", line.amount(), problems);
            }
            if (line.characteristics() == null) {
                problems.add(new FieldProblem(at + ".characteristics", "REQUIRED", "Every batch needs its characteristics (R-02)"));
            } else {
                Bounds.characteristics(at + ".characteristics", line.characteristics(), problems);
                java.util.Optional<eu.massbalance.contracts.MaterialProfile> profile =
                        eu.massbalance.contracts.MaterialProfile.byId(line.characteristics().profile());
                if (profile.isEmpty()) {
                    problems.add(new FieldProblem(at + ".characteristics.profile", "PROFILE_UNKNOWN",
                            "Unknown material profile '" + line.characteristics().profile() + "'"));
                } else {
                    profile.get().validate(line.characteristics()).forEach(p -> problems.add(new FieldProblem(
                            at + ".characteristics." + p.field(), p.code(), p.message())));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        if (accepted.anyFor(siteId)) {
            throw new Rejection(Rejection.Kind.CONFLICT, "OPENING_STOCK_TOO_LATE",
                    "Deliveries were accepted at site " + siteId + " already; opening stock is declared before the first");
        }
        String requestedBy = actor(actor);
        eu.massbalance.contracts.event.OpeningStockDeclared event =
                new eu.massbalance.contracts.event.OpeningStockDeclared(siteId, product, lines, requestedBy);
        return once(siteId, "opening", product, EventIds.of("opening", siteId, product),
                Hashes.sha256(LedgerJson.write(event.batches())), requestedBy, event);
    }

    /**
     * A physical stock count of one product, checked here (product, quantity, time) and compared
     * with the book stock by the projection. Once per product and moment: the same count again is
     * the same event.
     */
    public UUID recordStockCount(String siteId, String product, eu.massbalance.contracts.Quantity counted,
                                 java.time.OffsetDateTime countedAt, String method, String note, String actor) {
        SiteConfigured site = sites.require(siteId);
        List<FieldProblem> problems = new ArrayList<>();
        productAtSite(site, product, problems);
        if (counted == null || counted.amount() == null || counted.unit() == null) {
            problems.add(new FieldProblem("counted", "REQUIRED", "counted {amount, unit} is required"));
        } else if (counted.amount().signum() < 0) {
            problems.add(new FieldProblem("counted.amount", "NEGATIVE", "A counted quantity is not negative"));
        } else {
            Bounds.amount("counted.amount", counted.amount(), problems);
        }
        if (countedAt == null) {
            problems.add(new FieldProblem("countedAt", "REQUIRED", "countedAt (ISO-8601 with offset) is required"));
        } else {
            Bounds.dateTime("countedAt", countedAt, problems);
            if (countedAt.toInstant().isAfter(clock.instant().plus(1, ChronoUnit.DAYS))) {
                problems.add(new FieldProblem("countedAt", "DATE_IN_FUTURE", "A count is not dated in the future"));
            }
        }
        Bounds.name("method", method, problems);
        Bounds.text("note", note, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        String requestedBy = actor(actor);
        eu.massbalance.contracts.event.StockCounted event = new eu.massbalance.contracts.event.StockCounted(siteId, product, counted,
                countedAt, method, note, requestedBy);
        String key = product + "@" + countedAt.toInstant();
        return once(siteId, "stock-count", key, EventIds.of("stock-count", siteId, key),
                Hashes.sha256(counted.amount().stripTrailingZeros().toPlainString() + counted.unit() + "\n" + method + "\n" + note),
                requestedBy, event);
    }

    public UUID reclassify(String siteId, String deviationId, String newClass, String reason, String actor, String idempotencyKey) {
        sites.require(siteId);
        DeviationClass target;
        try {
            target = DeviationClass.valueOf(String.valueOf(newClass));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("newClass", "VALUE_NOT_ALLOWED", "newClass is one of OBSERVATION, MINOR, MAJOR");
        }
        requireText("reason", reason, "A reclassification needs a written reason (R-16)");
        return workflow(new DeviationReclassified(siteId, deviationId, target, reason, actor(actor)), idempotencyKey);
    }

    public UUID planAction(String siteId, String deviationId, String actionPlan, String actor, String idempotencyKey) {
        sites.require(siteId);
        requireText("actionPlan", actionPlan, "An action plan needs its text (R-18)");
        return workflow(new DeviationActionPlanned(siteId, deviationId, actionPlan, actor(actor)), idempotencyKey);
    }

    public UUID closeDeviation(String siteId, String deviationId, String resolution, String actor, String idempotencyKey) {
        sites.require(siteId);
        requireText("resolution", resolution, "Closing a deviation needs its resolution");
        return workflow(new DeviationClosed(siteId, deviationId, resolution, actor(actor)), idempotencyKey);
    }

    /**
     * A workflow command with the caller's {@code Idempotency-Key} is one event however often it is
     * sent; the same key for another command is a conflict. Without a key, every request is a new command.
     */
    private UUID workflow(LedgerEvent event, String idempotencyKey) {
        if (idempotencyKey == null) {
            UUID id = UUID.randomUUID();
            appender.append(id, event);
            return id;
        }
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.identifier("Idempotency-Key", idempotencyKey, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        String requestedBy = requestedBy(event);
        return once(event.siteId(), "deviation", idempotencyKey, EventIds.of("deviation", event.siteId(), idempotencyKey),
                Hashes.sha256(LedgerJson.write(event)), requestedBy, event);
    }

    private static String requestedBy(LedgerEvent event) {
        if (event instanceof DeviationReclassified r) {
            return r.requestedBy();
        }
        return event instanceof DeviationActionPlanned p ? p.requestedBy() : ((DeviationClosed) event).requestedBy();
    }

    /** Records the command under its key and appends it; a key held by another command is a conflict. */
    /** The product named is an identifier and kept at the site. */
    private static void productAtSite(SiteConfigured site, String product, List<FieldProblem> problems) {
        Bounds.identifier("product", product, problems);
        if (product != null && site.products().stream().noneMatch(p -> p.product().equals(product))) {
            problems.add(new FieldProblem("product", "PRODUCT_NOT_AT_SITE", "Product " + product + " is not kept at site "
                    + site.siteId()));
        }
    }

    private UUID once(String siteId, String command, String key, UUID eventId, String payloadHash, String requestedBy,
                      LedgerEvent event) {
        CommandRequests.Request held = requests.record(new CommandRequests.Request(siteId, command, key, eventId, payloadHash,
                requestedBy, clock.instant()), recorded -> appender.append(eventId, event));
        if (!held.payloadHash().equals(payloadHash)) {
            throw new Rejection(Rejection.Kind.CONFLICT, "IDEMPOTENCY_KEY_REUSED", "The " + command + " key " + key
                    + " was used for another request; send a new key for a new command");
        }
        return held.eventId();
    }

    /** Who asked, as the token names them (subject, client): a bounded name, checked before anything is recorded. */
    static String actor(String actor) {
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.name("actor", actor, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        return actor == null || actor.isBlank() ? "anonymous" : actor;
    }

    static void requireText(String field, String value, String message) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, "REQUIRED", message);
        }
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.text(field, value, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
    }
}
