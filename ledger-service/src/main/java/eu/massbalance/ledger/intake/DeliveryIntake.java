package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.ledger.log.LedgerAppender;
import eu.massbalance.ledger.log.LedgerAppender.Append;
import eu.massbalance.ledger.store.AcceptedDeliveries;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.problem.Rejection;
import eu.massbalance.ledger.store.AcceptedDeliveries.Row;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Validates deliveries, deduplicates them on (site, delivery id) and appends the new ones to the
 * site's log. The same delivery again gives the original result and appends nothing; a different
 * payload under an accepted delivery id is a conflict. A batch's new rows are inserted (one
 * statement), its events sent to the broker together and their acknowledgements awaited, and only
 * then does the database transaction commit: a crash before the commit leaves no row, so the retry
 * appends again (the projection's engine refuses a second copy of a delivery id); a crash after it
 * finds the rows and answers DUPLICATE. Nothing is ever lost.
 */
@ApplicationScoped
public class DeliveryIntake {

    public enum Status { ACCEPTED, DUPLICATE, CONFLICT, INVALID }

    public record Outcome(String deliveryId, UUID eventId, Status status, List<FieldProblem> problems, String message) {
    }

    @Inject
    SiteRegistry sites;

    @Inject
    AcceptedDeliveries accepted;

    @Inject
    LedgerAppender appender;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @ConfigProperty(name = "ledger.deliveries.future-tolerance", defaultValue = "PT24H")
    Duration futureTolerance;

    /**
     * One delivery, posted by {@code actor} (as authenticated: kept on the event as {@code recordedBy});
     * throws {@link InvalidInput} or {@link Rejection} for anything but success.
     */
    public Outcome accept(String siteId, ErpDelivery delivery, String actor) {
        Outcome outcome = acceptAll(siteId, List.of(delivery), actor).get(0);
        return switch (outcome.status()) {
            case ACCEPTED, DUPLICATE -> outcome;
            case INVALID -> throw new InvalidInput(outcome.problems());
            case CONFLICT -> throw new Rejection(Rejection.Kind.CONFLICT, "DELIVERY_ID_CONFLICT", outcome.message());
        };
    }

    /**
     * Many deliveries of one site, posted by {@code actor}: one outcome each, in order. Whether a
     * delivery is the same as one accepted before is decided without the actor: the same delivery
     * sent again by another client is a duplicate, not a conflict.
     */
    public List<Outcome> acceptAll(String siteId, List<ErpDelivery> deliveries, String actor) {
        SiteConfigured site = sites.require(siteId);
        DeliveryValidator validator = new DeliveryValidator(futureTolerance);
        Outcome[] outcomes = new Outcome[deliveries.size()];
        Map<String, Integer> firstIndex = new HashMap<>();
        Map<String, LedgerEvent> events = new LinkedHashMap<>();
        Map<String, String> payloads = new HashMap<>();
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<Integer, String> sameAsEarlier = new LinkedHashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            ErpDelivery d = deliveries.get(i);
            if (d == null) {
                outcomes[i] = invalid(null, List.of(new FieldProblem("", "REQUIRED", "A delivery cannot be null")));
                continue;
            }
            d = d.withSiteId(siteId);
            List<FieldProblem> problems = validator.validate(d, site, clock.instant());
            if (problems.isEmpty() && d.destinationSiteId() != null) {
                problems = DeliveryValidator.transferProblems(d, site, sites.find(d.destinationSiteId()));
            }
            if (!problems.isEmpty()) {
                outcomes[i] = invalid(d.deliveryId(), problems);
                continue;
            }
            LedgerEvent delivery = toEvent(d);
            String hash = Hashes.sha256(LedgerJson.write(delivery));
            LedgerEvent event = recordedBy(delivery, actor);
            String json = LedgerJson.write(event);
            List<FieldProblem> beyond = LedgerAppender.problems(event, json);
            if (!beyond.isEmpty()) {
                outcomes[i] = invalid(d.deliveryId(), beyond);
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(d.deliveryId(), i);
            if (earlier != null) {
                if (rows.get(d.deliveryId()).payloadHash().equals(hash)) {
                    sameAsEarlier.put(i, d.deliveryId()); // shares the first one's fate, known once it is claimed
                } else {
                    outcomes[i] = conflict(d.deliveryId());
                }
                continue;
            }
            UUID eventId = EventIds.of("delivery", siteId, d.deliveryId());
            events.put(d.deliveryId(), event);
            payloads.put(d.deliveryId(), json);
            rows.put(d.deliveryId(), new Row(siteId, d.deliveryId(), eventId, hash, AcceptedDeliveries.Status.PENDING,
                    d.direction().name()));
        }
        accepted.claim(new ArrayList<>(rows.values()), held -> {
            List<Append> toAppend = new ArrayList<>();
            for (Map.Entry<String, Row> e : rows.entrySet()) {
                Row mine = e.getValue();
                Row stored = held.get(e.getKey());
                int index = firstIndex.get(e.getKey());
                if (!stored.payloadHash().equals(mine.payloadHash())) {
                    outcomes[index] = conflict(e.getKey());
                } else if (stored.status() == AcceptedDeliveries.Status.APPENDED) {
                    outcomes[index] = new Outcome(e.getKey(), stored.eventId(), Status.DUPLICATE, List.of(), null);
                } else {
                    toAppend.add(new Append(stored.eventId(), events.get(e.getKey()), payloads.get(e.getKey())));
                    outcomes[index] = new Outcome(e.getKey(), stored.eventId(), Status.ACCEPTED, List.of(), null);
                }
            }
            appender.appendAll(toAppend);
            return new AcceptedDeliveries.Decision<Void>(toAppend.stream().map(a -> deliveryId(a.event())).toList(), null);
        });
        sameAsEarlier.forEach((i, id) -> {
            Outcome first = outcomes[firstIndex.get(id)];
            outcomes[i] = first.status() == Status.CONFLICT ? conflict(id) : new Outcome(id, first.eventId(), Status.DUPLICATE, List.of(), null);
        });
        List<Outcome> result = List.of(outcomes);
        int[] byStatus = new int[Status.values().length];
        result.forEach(o -> byStatus[o.status().ordinal()]++);
        for (Status status : Status.values()) {
            if (byStatus[status.ordinal()] > 0) {
                metrics.counter("massbalance.deliveries", "outcome", status.name().toLowerCase()).increment(byStatus[status.ordinal()]);
            }
        }
        return result;
    }

    private static String deliveryId(LedgerEvent event) {
        return event instanceof InboundDelivery in ? in.deliveryId() : ((OutboundDelivery) event).deliveryId();
    }

    private static Outcome invalid(String deliveryId, List<FieldProblem> problems) {
        return new Outcome(deliveryId, null, Status.INVALID, problems, "The delivery is invalid");
    }

    private static Outcome conflict(String deliveryId) {
        return new Outcome(deliveryId, null, Status.CONFLICT, List.of(), "Delivery " + deliveryId
                + " was accepted before with a different payload; a correction is a reversal plus a new delivery id");
    }

    /** The canonical event; amounts lose their trailing zeros so that "38.000" and "38" are the same delivery. */
    static LedgerEvent toEvent(ErpDelivery d) {
        Quantity quantity = new Quantity(normal(d.quantity().amount()), Unit.fromSymbol(d.quantity().unit()).orElseThrow());
        List<BatchLine> lines = d.sustainable() == null ? List.of() : d.sustainable().stream()
                .map(l -> new BatchLine(l.batchId(), normal(l.amount()), l.characteristics()))
                .toList();
        return d.direction() == ErpDelivery.Direction.INBOUND
                ? new InboundDelivery(d.siteId(), d.deliveryId(), d.occurredAt(), d.product(), quantity, d.supplierId(),
                        d.transportDocument(), lines, d.density(), d.lowerHeatingValue())
                : new OutboundDelivery(d.siteId(), d.deliveryId(), d.occurredAt(), d.product(), quantity, d.customerId(),
                        d.useArea(), d.taxLiability(), lines, d.density(), d.lowerHeatingValue(), null, d.destinationSiteId());
    }

    private static LedgerEvent recordedBy(LedgerEvent delivery, String actor) {
        return delivery instanceof InboundDelivery in ? in.withRecordedBy(actor) : ((OutboundDelivery) delivery).withRecordedBy(actor);
    }

    private static BigDecimal normal(BigDecimal amount) {
        return amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
    }
}
