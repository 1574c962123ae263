package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Refusal.isBlank;
import static eu.massbalance.projection.engine.Refusal.require;

import eu.massbalance.contracts.event.DeviationActionPlanned;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.DeviationClosed;
import eu.massbalance.contracts.event.DeviationReclassified;
import eu.massbalance.contracts.event.SiteConfigured.EscalationPolicy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A site's deviations, their class on repetition and their workflow. */
final class Deviations {

    /** What a rule found, before it gets its id and class. */
    record Finding(Deviation.Rule rule, YearMonth period, String cause, BigDecimal quantity, String unit,
                   List<String> deliveries, List<Deviation.Affected> batches, LocalDate on, String message) {
    }

    private final String siteId;
    private final Map<String, Deviation> byId = new LinkedHashMap<>();
    private final Escalation escalation = new Escalation();

    Deviations(String siteId) {
        this.siteId = siteId;
    }

    /** Raises a deviation once per site, period, rule and cause; a finding raised before raises nothing. */
    Optional<Deviation> raise(Finding f, EscalationPolicy policy) {
        String id = id(f.period(), f.rule(), f.cause());
        if (byId.containsKey(id)) {
            return Optional.empty();
        }
        DeviationClass assigned = escalation.classify(f.rule(), f.period(), policy);
        DeviationClass upgradedFrom = assigned == f.rule().defaultClass() ? null : f.rule().defaultClass();
        String raisedAs = upgradedFrom == null ? "raised as " + assigned
                : "raised as " + assigned + " (upgraded from " + upgradedFrom + ": raised in an earlier period within "
                + policy.windowMonths() + " months, R-17)";
        Deviation deviation = new Deviation(id, siteId, f.period(), f.rule(), assigned, upgradedFrom, Deviation.Status.OPEN,
                SiteLedger.n(f.quantity()), f.unit(), List.copyOf(f.deliveries()), List.copyOf(f.batches()), f.message(), f.on(),
                null, null, List.of(raisedAs));
        byId.put(id, deviation);
        return Optional.of(deviation);
    }

    /** Derived from site, period, rule and the delivery (or mixture) that caused it: replays give the same id. */
    private String id(YearMonth period, Deviation.Rule rule, String cause) {
        String key = siteId + "|" + period + "|" + rule + "|" + cause;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** the compliance officer may reclassify, with a written reason. */
    Deviation reclassify(DeviationReclassified r) {
        Deviation d = open(r.deviationId());
        if (isBlank(r.reason())) {
            throw new Refusal(RefusalCode.REASON_REQUIRED, "Reclassifying a deviation needs a written reason (R-16)");
        }
        require(r.newClass(), RefusalCode.CLASS_REQUIRED, "newClass is required");
        if (r.newClass() == d.deviationClass()) {
            throw new Refusal(RefusalCode.CLASS_UNCHANGED, "Deviation " + d.deviationId() + " is already " + d.deviationClass());
        }
        return put(d.withClass(r.newClass(), "reclassified " + d.deviationClass() + " -> " + r.newClass()
                + " by " + r.requestedBy() + ": " + r.reason()));
    }

    /** a deviation gets an action plan. */
    Deviation planAction(DeviationActionPlanned p) {
        Deviation d = open(p.deviationId());
        if (isBlank(p.actionPlan())) {
            throw new Refusal(RefusalCode.ACTION_PLAN_REQUIRED, "An action plan needs its text (R-18)");
        }
        return put(d.withActionPlan(p.actionPlan(), "action planned by " + p.requestedBy()));
    }

    /** a MAJOR deviation is closed only after its action plan. */
    Deviation close(DeviationClosed c) {
        Deviation d = open(c.deviationId());
        if (d.deviationClass() == DeviationClass.MAJOR && d.status() == Deviation.Status.OPEN) {
            throw new Refusal(RefusalCode.ACTION_PLAN_REQUIRED, "A MAJOR deviation is closed only after its action plan (R-18)");
        }
        return put(d.closed(c.resolution(), "closed by " + c.requestedBy()));
    }

    private Deviation open(String id) {
        Deviation d = byId.get(id);
        if (d == null) {
            throw new Refusal(RefusalCode.DEVIATION_UNKNOWN, "No deviation " + id + " at site " + siteId);
        }
        if (d.status() == Deviation.Status.CLOSED) {
            throw new Refusal(RefusalCode.DEVIATION_CLOSED, "Deviation " + id + " is closed");
        }
        return d;
    }

    private Deviation put(Deviation changed) {
        byId.put(changed.deviationId(), changed);
        return changed;
    }

    List<Deviation> all() {
        return List.copyOf(byId.values());
    }

    Optional<Deviation> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
