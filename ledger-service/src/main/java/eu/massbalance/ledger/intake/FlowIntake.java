package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.ProcessingRule;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.UnitConversion;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.ProcessingRun;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import eu.massbalance.contracts.event.TransferInTransit;
import eu.massbalance.contracts.event.TransferReceived;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.TransferDispatched;
import eu.massbalance.ledger.log.LedgerAppender;
import eu.massbalance.ledger.log.LedgerAppender.Append;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.problem.Rejection;
import eu.massbalance.ledger.store.AcceptedDeliveries;
import eu.massbalance.ledger.store.AcceptedDeliveries.Row;
import eu.massbalance.ledger.store.CommandRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Material flows through the log: processing runs at a production site, transfers in
 * transit to their destination (R-22, from the source's dispatch notice) and their receipt. Each
 * is validated here once, with field-level problems, and appended once: a processing run per run
 * id (which takes its place among the site's delivery ids), a transit per source delivery, a
 * receipt per transfer.
 */
@ApplicationScoped
public class FlowIntake {

    /** A run's outputs are named {@code <runId>.out<n>.<k>}: the run id leaves room for that. */
    static final int RUN_ID_LENGTH = 150;

    @Inject
    SiteRegistry sites;

    @Inject
    AcceptedDeliveries accepted;

    @Inject
    CommandRequests requests;

    @Inject
    LedgerAppender appender;

    @Inject
    Clock clock;

    @ConfigProperty(name = "ledger.deliveries.future-tolerance", defaultValue = "PT24H")
    Duration futureTolerance;

    /** A quantity as sent; its unit is checked against the known units. */
    public record QuantityInput(BigDecimal amount, String unit) {
    }

    /** An input claim: a sustainable amount, naming a batch or not. */
    public record InputLine(String batchId, BigDecimal amount) {
    }

    public record OutputLine(String product, QuantityInput quantity, BigDecimal factor, Characteristics declared) {
    }

    public record RunRequest(String runId, OffsetDateTime occurredAt, String inputProduct, QuantityInput inputQuantity,
                             List<InputLine> inputs, List<OutputLine> outputs) {
    }

    public record ReceiptRequest(OffsetDateTime occurredAt, QuantityInput received, String transportDocument) {
    }

    public record Appended(UUID eventId, boolean replayed) {
    }

    // ------------------------------------------------------------------ processing

    public Appended process(String siteId, RunRequest run, String actor) {
        SiteConfigured site = sites.require(siteId);
        if (run == null) {
            throw new InvalidInput("", "REQUIRED", "A processing run body is required");
        }
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.identifier("runId", run.runId(), problems);
        if (run.runId() != null && run.runId().length() > RUN_ID_LENGTH) {
            problems.add(new FieldProblem("runId", "TOO_LONG", "runId is at most " + RUN_ID_LENGTH + " characters"));
        }
        occurredAt("occurredAt", run.occurredAt(), problems);
        ProductConfig inputProduct = product("inputProduct", run.inputProduct(), site, problems);
        Quantity input = quantity("inputQuantity", run.inputQuantity(), inputProduct, problems);
        List<InputLine> inputs = run.inputs() == null ? List.of() : run.inputs();
        Bounds.listSize("inputs", inputs, Bounds.LIST_SIZE, problems);
        List<BatchLine> claims = new ArrayList<>();
        BigDecimal claimed = BigDecimal.ZERO;
        for (int i = 0; i < Math.min(inputs.size(), Bounds.LIST_SIZE); i++) {
            InputLine line = inputs.get(i);
            String at = "inputs[" + i + "]";
            if (line == null || line.amount() == null || line.amount().signum() <= 0) {
                problems.add(new FieldProblem(at + ".amount", "NOT_POSITIVE", "Every input line has a positive amount"));
                continue;
            }
            Bounds.amount(at + ".amount", line.amount(), problems);
            Bounds.optionalIdentifier(at + ".batchId", line.batchId(), problems);
            if (site.allocation() == SiteConfigured.AllocationPolicy.EXPLICIT && (line.batchId() == null || line.batchId().isBlank())) {
                problems.add(new FieldProblem(at + ".batchId", "REQUIRED", "This site allocates explicitly: name the batch"));
            }
            claimed = claimed.add(line.amount());
            claims.add(new BatchLine(line.batchId(), normal(line.amount()), null));
        }
        if (input != null && claimed.compareTo(input.amount()) > 0) {
            problems.add(new FieldProblem("inputs", "SUSTAINABLE_EXCEEDS_QUANTITY", "The input lines (" + claimed.toPlainString()
                    + ") exceed inputQuantity.amount (" + input.amount().toPlainString() + ")"));
        }
        List<OutputLine> outputs = run.outputs() == null ? List.of() : run.outputs();
        if (outputs.isEmpty()) {
            problems.add(new FieldProblem("outputs", "REQUIRED", "A processing run makes at least one output"));
        }
        Bounds.listSize("outputs", outputs, 100, problems);
        List<ProcessingRun.Output> made = new ArrayList<>();
        Set<String> products = new HashSet<>();
        for (int i = 0; i < Math.min(outputs.size(), 100); i++) {
            OutputLine o = outputs.get(i);
            String at = "outputs[" + i + "]";
            if (o == null) {
                problems.add(new FieldProblem(at, "REQUIRED", "An output cannot be null"));
                continue;
            }
            ProductConfig config = product(at + ".product", o.product(), site, problems);
            if (o.product() != null && !products.add(o.product())) {
                problems.add(new FieldProblem(at + ".product", "DUPLICATE", "Product " + o.product() + " is listed twice"));
            }
            Quantity quantity = quantity(at + ".quantity", o.quantity(), config, problems);
            if (o.factor() == null || o.factor().signum() <= 0) {
                problems.add(new FieldProblem(at + ".factor", "NOT_POSITIVE", "factor (output per unit of input) must be positive"));
            } else {
                Bounds.amount(at + ".factor", o.factor(), problems);
                if (quantity != null && input != null && quantity.amount().compareTo(input.amount().multiply(o.factor())) > 0) {
                    problems.add(new FieldProblem(at + ".quantity.amount", "PROCESSING_OUTPUT_EXCEEDS_FACTOR", quantity.amount()
                            .toPlainString() + " " + quantity.unit() + " of " + o.product() + " is more than inputQuantity × factor = "
                            + normal(input.amount().multiply(o.factor())).toPlainString() + " allows (R-14)"));
                }
            }
            Bounds.characteristics(at + ".declared", o.declared(), problems);
            problems.addAll(ProcessingRule.problems(at + ".declared", o.declared()));
            made.add(new ProcessingRun.Output(o.product(), quantity, o.factor() == null ? null : normal(o.factor()), o.declared()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        ProcessingRun event = new ProcessingRun(siteId, run.runId(), run.occurredAt(), run.inputProduct(), input, claims, made, null);
        String hash = Hashes.sha256(LedgerJson.write(event));
        ProcessingRun recorded = event.withRecordedBy(ControlIntake.actor(actor));
        String json = LedgerJson.write(recorded);
        List<FieldProblem> beyond = LedgerAppender.problems(recorded, json);
        if (!beyond.isEmpty()) {
            throw new InvalidInput(beyond);
        }
        UUID eventId = EventIds.of("processing", siteId, run.runId());
        return accepted.claim(List.of(new Row(siteId, run.runId(), eventId, hash, AcceptedDeliveries.Status.PENDING, "PROCESSING")),
                held -> {
                    Row stored = held.get(run.runId());
                    if (!stored.payloadHash().equals(hash)) {
                        throw new Rejection(Rejection.Kind.CONFLICT, "DELIVERY_ID_CONFLICT", "Id " + run.runId()
                                + " was accepted before at this site with a different payload");
                    }
                    if (stored.status() == AcceptedDeliveries.Status.APPENDED) {
                        return new AcceptedDeliveries.Decision<>(List.of(), new Appended(stored.eventId(), true));
                    }
                    appender.appendAll(List.of(new Append(stored.eventId(), recorded, json)));
                    return new AcceptedDeliveries.Decision<>(List.of(run.runId()), new Appended(stored.eventId(), false));
                });
    }

    // ------------------------------------------------------------------ transfers

    /**
     * The receipt of a transfer at its destination, once per transfer. The transfer must be in transit
     * to this site (its transit appended here from the source's dispatch); that it is not yet
     * received, the destination's engine decides too (TRANSFER_ALREADY_RECEIVED).
     */
    public Appended receive(String siteId, String transferId, ReceiptRequest receipt, String actor) {
        sites.require(siteId);
        if (receipt == null) {
            throw new InvalidInput("", "REQUIRED", "A receipt body {occurredAt, received {amount, unit}} is required");
        }
        List<FieldProblem> problems = new ArrayList<>();
        int colon = transferId == null ? -1 : transferId.indexOf(':');
        String source = colon < 0 ? null : transferId.substring(0, colon);
        String deliveryId = colon < 0 ? null : transferId.substring(colon + 1);
        if (source == null || !Bounds.isSiteId(source) || deliveryId.isBlank() || transferId.length() > Bounds.IDENTIFIER_LENGTH) {
            throw new InvalidInput("transferId", "FORMAT", "transferId is <source site id>:<the source's delivery id>");
        }
        occurredAt("occurredAt", receipt.occurredAt(), problems);
        // only a transfer on its way to this very site: its transit was appended here (same organisation, R-22)
        Optional<Row> inTransit = accepted.find(siteId, transferId);
        if (inTransit.isEmpty() || !"TRANSFER".equals(inTransit.get().direction())) {
            throw new Rejection(Rejection.Kind.NOT_FOUND, "TRANSFER_UNKNOWN", "No transfer " + transferId + " is on its way to site "
                    + siteId + " (yet): its source books it out first, then it is in transit here");
        }
        Quantity received = quantity("received", receipt.received(), null, problems);
        Bounds.name("transportDocument", receipt.transportDocument(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        String requestedBy = ControlIntake.actor(actor);
        TransferReceived event = new TransferReceived(siteId, transferId, receipt.occurredAt(), received,
                receipt.transportDocument(), requestedBy);
        UUID eventId = EventIds.of("receipt", siteId, transferId);
        String hash = Hashes.sha256(LedgerJson.write(new TransferReceived(siteId, transferId, receipt.occurredAt(), received,
                receipt.transportDocument(), null)));
        CommandRequests.Request held = requests.record(new CommandRequests.Request(siteId, "receipt", transferId, eventId, hash,
                requestedBy, clock.instant()), recorded -> appender.append(eventId, event));
        if (!held.payloadHash().equals(hash)) {
            throw new Rejection(Rejection.Kind.CONFLICT, "TRANSFER_ALREADY_RECEIVED", "Transfer " + transferId
                    + " was received before with another quantity or date; a receipt is recorded once");
        }
        return new Appended(held.eventId(), false);
    }

    /**
     * From the source's dispatch notice: the material in transit, appended to the destination's log
     * once per transfer (its event id and accepted row derive from the source site and delivery id).
     * A notice that is not a transfer of the destination's organisation is refused.
     */
    public Appended inTransit(TransferDispatched notice) {
        String transferId = TransferInTransit.transferId(notice.sourceSiteId(), notice.deliveryId());
        TransferInTransit event = new TransferInTransit(notice.destinationSiteId(), transferId, notice.sourceSiteId(),
                notice.deliveryId(), notice.dispatchedAt(), notice.product(), notice.quantity(), notice.batches(),
                "transfer:" + notice.sourceSiteId());
        String json = LedgerJson.write(event);
        List<FieldProblem> problems = new ArrayList<>(LedgerAppender.problems(event, json));
        Optional<String> from = sites.organisationOf(notice.sourceSiteId());
        Optional<String> to = sites.organisationOf(notice.destinationSiteId());
        if (from.isEmpty() || !from.equals(to)) {
            problems.add(new FieldProblem("destinationSiteId", "TRANSFER_OTHER_ORGANISATION",
                    "The destination is not a site of the source's organisation"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        UUID eventId = EventIds.of("transfer", notice.sourceSiteId(), notice.deliveryId());
        String hash = Hashes.sha256(json);
        return accepted.claim(List.of(new Row(notice.destinationSiteId(), transferId, eventId, hash,
                        AcceptedDeliveries.Status.PENDING, "TRANSFER")), held -> {
            Row stored = held.get(transferId);
            if (stored.status() == AcceptedDeliveries.Status.APPENDED || !stored.payloadHash().equals(hash)) {
                return new AcceptedDeliveries.Decision<>(List.of(), new Appended(stored.eventId(), true));
            }
            appender.appendAll(List.of(new Append(stored.eventId(), event, json)));
            return new AcceptedDeliveries.Decision<>(List.of(transferId), new Appended(stored.eventId(), false));
        });
    }

    // ------------------------------------------------------------------ checks

    private void occurredAt(String field, OffsetDateTime at, List<FieldProblem> problems) {
        if (at == null) {
            problems.add(new FieldProblem(field, "REQUIRED", field + " (ISO-8601 with offset) is required"));
            return;
        }
        Bounds.dateTime(field, at, problems);
        if (at.toInstant().isAfter(clock.instant().plus(futureTolerance))) {
            problems.add(new FieldProblem(field, "DATE_IN_FUTURE", field + " is more than " + futureTolerance.toHours()
                    + " h in the future"));
        }
    }

    private static ProductConfig product(String field, String product, SiteConfigured site, List<FieldProblem> problems) {
        if (product == null || product.isBlank()) {
            problems.add(new FieldProblem(field, "REQUIRED", field + " is required"));
            return null;
        }
        Bounds.identifier(field, product, problems);
        ProductConfig config = site.products().stream().filter(p -> p.product().equals(product)).findFirst().orElse(null);
        if (config == null) {
            problems.add(new FieldProblem(field, "PRODUCT_NOT_AT_SITE", "Product " + product + " is not kept at site "
                    + site.siteId() + "; known: " + site.products().stream().map(ProductConfig::product).toList()));
        }
        return config;
    }

    /** A positive quantity in a known unit, convertible to the product's accounting unit when the product is known. */
    private static Quantity quantity(String field, QuantityInput q, ProductConfig product, List<FieldProblem> problems) {
        if (q == null) {
            problems.add(new FieldProblem(field, "REQUIRED", field + " {amount, unit} is required"));
            return null;
        }
        int before = problems.size();
        if (q.amount() == null) {
            problems.add(new FieldProblem(field + ".amount", "REQUIRED", field + ".amount is required"));
        } else if (q.amount().signum() <= 0) {
            problems.add(new FieldProblem(field + ".amount", "NOT_POSITIVE", field + ".amount must be positive"));
        } else {
            Bounds.amount(field + ".amount", q.amount(), problems);
        }
        Optional<Unit> unit = q.unit() == null ? Optional.empty() : Unit.fromSymbol(q.unit());
        if (unit.isEmpty()) {
            problems.add(new FieldProblem(field + ".unit", q.unit() == null ? "REQUIRED" : "UNIT_UNKNOWN",
                    "Unknown unit; known: m3, l, t, kg, MJ, GJ, kWh, MWh, Nm3"));
        } else if (product != null) {
            try {
                UnitConversion.factor(unit.get(), product.unit(), product.density(), product.lowerHeatingValue());
            } catch (UnitConversion.NotConvertible e) {
                problems.add(new FieldProblem(field + ".unit", e.code(), e.getMessage()));
            }
        }
        return problems.size() > before ? null : new Quantity(normal(q.amount()), unit.get());
    }

    private static BigDecimal normal(BigDecimal amount) {
        return amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
    }
}
