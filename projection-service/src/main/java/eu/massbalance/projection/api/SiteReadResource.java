package eu.massbalance.projection.api;

import eu.massbalance.projection.engine.PeriodResult;
import eu.massbalance.projection.store.ReadModels;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import eu.massbalance.contracts.Bounds;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Authenticated
@Path("/api/v1/sites/{siteId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Auditor", description = "Balances, stock, movements, batch traces and the tamper-evident record")
public class SiteReadResource {

    @Inject
    ReadModels read;

    @Inject
    Access access;

    @Inject
    eu.massbalance.projection.store.LogComparison log;

    public record Periods(String siteId, List<ReadModels.Period> items) {
    }

    public record AsOf(long asOfSeq, PeriodResult balance) {
    }

    @GET
    @Path("periods")
    @Operation(summary = "The site's periods with their status (OPEN, CLOSED)")
    public Periods periods(@PathParam("siteId") String siteId) {
        access.readerOf(siteId);
        return new Periods(siteId, read.periods(siteId));
    }

    @GET
    @Path("periods/{periodId}/balance")
    @Operation(summary = "A period's balance per product and per batch",
            description = "opening, in, out, claimed, uncovered, closing (sustainable), non-sustainable in/out, pending. "
                    + "With asOf (a log position: the site's event sequence number; an ISO-8601 time; or a business date: the end"
                    + " of that day in the site's time zone) the balance as it stood then, recomputed from the journal.")
    public Object balance(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId,
                          @Parameter(description = "sequence number, ISO-8601 time or business date", example = "42") @QueryParam("asOf") String asOf) {
        access.readerOf(siteId);
        if (asOf == null) {
            return read.balance(siteId, periodId).orElseThrow(() -> new NotFoundException("No balance for " + siteId + " " + periodId));
        }
        YearMonth period = parsePeriod(periodId);
        long seq = asSeq(siteId, asOf);
        PeriodResult result = read.balanceAsOf(siteId, period, seq)
                .orElseThrow(() -> new NotFoundException("No balance for " + siteId + " " + periodId + " as of " + asOf));
        return new AsOf(seq, result);
    }

    @GET
    @Path("stock")
    @Operation(summary = "Batches on hand now, with their characteristics, in FIFO order")
    public List<ReadModels.StockLine> stock(@PathParam("siteId") String siteId) {
        access.readerOf(siteId);
        return read.stock(siteId);
    }

    @GET
    @Path("movements")
    @Operation(summary = "Every movement with the batch portions it received or drew",
            description = "from/to filter on occurredAt: an ISO-8601 time, or a business date in the site's time zone (from its"
                    + " first moment; to includes the whole day); pages of at most limit, continue with after=<next>."
                    + " status: BOOKED, PENDING (dated in a later period, R-09), IN_TRANSIT (a transfer from another site"
                    + " not yet received here, R-22), REVERSED, or REFUSED (a pending delivery refused when its period came; it"
                    + " may be offered again). A processing run is an OUTBOUND of its input under the run id and an INBOUND per"
                    + " output, <runId>.out<n> (R-23).")
    public ReadModels.Page<ReadModels.Movement> movements(@PathParam("siteId") String siteId, @QueryParam("from") String from,
                                                          @QueryParam("to") String to, @QueryParam("after") @DefaultValue("0") long after,
                                                          @QueryParam("limit") @DefaultValue("200") int limit) {
        access.readerOf(siteId);
        return read.movements(siteId, from == null ? ReadModels.NO_FROM : instant(siteId, from, false),
                to == null ? ReadModels.NO_TO : instant(siteId, to, true), after, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("deliveries/{deliveryId}/recycled-content")
    @Operation(summary = "The recycled content of an outbound, per element (battery passport, EU 2023/1542 Art. 8)",
            description = "From the batches the outbound drew (net of returns), each with its own battery-material-v1"
                    + " characteristics: per counted element (Co, Li, Ni, Mn, Pb) its mass in kg, the recycled pre-consumer and"
                    + " post-consumer kg, and the recycled share. Batches without battery-material characteristics are listed in"
                    + " undeclaredBatches. 409 NOT_A_MASS_UNIT when the product is not kept in kg or t.")
    public Object recycledContent(@PathParam("siteId") String siteId, @PathParam("deliveryId") String deliveryId) {
        access.readerOf(siteId);
        ReadModels.DrawnBatches drawn = read.drawnBatches(siteId, deliveryId).orElseThrow(() -> new Problems.Unknown(
                "DELIVERY_UNKNOWN", "The books of site " + siteId + " hold no delivery " + deliveryId + " (yet)"));
        java.math.BigDecimal toKg = switch (drawn.unit()) {
            case "kg" -> java.math.BigDecimal.ONE;
            case "t" -> java.math.BigDecimal.valueOf(1000);
            default -> null;
        };
        if (toKg == null) {
            throw new jakarta.ws.rs.ClientErrorException(jakarta.ws.rs.core.Response.status(409).type("application/problem+json")
                    .entity(java.util.Map.of("status", 409, "code", "NOT_A_MASS_UNIT", "title", "Conflict", "detail",
                            "Recycled content is reported by mass; " + deliveryId + " is kept in " + drawn.unit())).build());
        }
        java.util.List<eu.massbalance.projection.engine.RecycledContent.Portion> portions = drawn.batches().stream()
                .map(b -> new eu.massbalance.projection.engine.RecycledContent.Portion(b.batchId(), b.amount().multiply(toKg),
                        b.characteristics().path("profile").asText(), fields(b.characteristics())))
                .toList();
        eu.massbalance.projection.engine.RecycledContent.Report report = eu.massbalance.projection.engine.RecycledContent.of(portions);
        java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("siteId", siteId);
        answer.put("deliveryId", deliveryId);
        answer.put("direction", drawn.direction());
        answer.put("kilograms", portions.stream().map(eu.massbalance.projection.engine.RecycledContent.Portion::kilograms)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add).stripTrailingZeros().toPlainString());
        answer.put("elements", report.elements());
        answer.put("undeclaredBatches", report.undeclaredBatches());
        answer.put("batches", drawn.batches().stream().map(ReadModels.DrawnBatch::batchId).toList());
        return answer;
    }

    private static java.util.Map<String, Object> fields(com.fasterxml.jackson.databind.JsonNode node) {
        java.util.Map<String, Object> fields = new java.util.HashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue()));
        return fields;
    }

    @GET
    @Path("transfers")
    @Operation(summary = "Transfers from and to this site (R-22), with their state",
            description = "direction out: dispatched by this site; in: on their way to or received by it. status DISPATCHED"
                    + " (booked at the source, not yet on the destination's log), IN_TRANSIT (on the destination's log, not yet"
                    + " received: in neither site's stock), RECEIVED. quantity and sustainable in the source's accounting unit;"
                    + " receivedQuantity and sustainableLost in the destination's. transferId is what the destination's receipt"
                    + " names: POST /api/v1/sites/{destination}/transfers/{transferId}/receipt on ledger-service. The newest"
                    + " 1,000 that match, newest first; narrow with status for older ones still open.")
    public List<ReadModels.Transfer> transfers(@PathParam("siteId") String siteId, @QueryParam("direction") String direction,
                                               @QueryParam("status") String status) {
        access.readerOf(siteId);
        if (direction != null && !direction.equals("in") && !direction.equals("out")) {
            throw new BadRequestException("direction: in or out");
        }
        if (status != null && !List.of("DISPATCHED", "IN_TRANSIT", "RECEIVED").contains(status)) {
            throw new BadRequestException("status: DISPATCHED, IN_TRANSIT or RECEIVED");
        }
        return read.transfers(siteId, direction, status);
    }

    @GET
    @Path("deliveries/{deliveryId}")
    @Operation(summary = "The fate of a delivery after its 202: PENDING, IN_TRANSIT, BOOKED, REFUSED or REVERSED",
            description = "state PENDING: dated in a later period than the open one, waiting for periodId (R-09); IN_TRANSIT: a"
                    + " transfer (id <source site>:<delivery id>) on its way here, not yet received (R-22); BOOKED in"
                    + " periodId with its portions (RECEIVED, DRAWN, RETURNED, UNCOVERED); REFUSED with every refusal's code"
                    + " and message (the whole delivery, or a batch of it refused as sustainable while the rest was booked"
                    + " shows as BOOKED with refusals); REVERSED. events: what the site's log holds about it, with actors and"
                    + " times. 404 DELIVERY_UNKNOWN when the log does not hold it (yet: a delivery accepted a moment ago"
                    + " appears within a second).")
    public ReadModels.DeliveryStatus delivery(@PathParam("siteId") String siteId, @PathParam("deliveryId") String deliveryId) {
        access.readerOf(siteId);
        return read.delivery(siteId, deliveryId).orElseThrow(() -> new Problems.Unknown("DELIVERY_UNKNOWN",
                "The books of site " + siteId + " hold no delivery " + deliveryId + " (yet)"));
    }

    @GET
    @Path("refusals")
    @Operation(summary = "What the engine refused after the ledger accepted it, in log order",
            description = "kind EVENT (a whole event), BATCH (one batch of an inbound refused as sustainable, R-19) or RELEASE"
                    + " (a pending delivery refused when its period came, R-09). period: the period the site was in (for"
                    + " RELEASE, the one the delivery waited for); code: a refusal code. Pages of at most limit; continue with"
                    + " after=<next>. Each refusal is also published on the organisation's outcome topic"
                    + " (massbalance.outcomes.v1.<organisation>) and sent to the configured webhooks.")
    public ReadModels.Page<ReadModels.RefusalLine> refusals(@PathParam("siteId") String siteId, @QueryParam("period") String period,
                                                            @QueryParam("code") String code,
                                                            @QueryParam("after") @DefaultValue("0") long after,
                                                            @QueryParam("limit") @DefaultValue("200") int limit) {
        access.readerOf(siteId);
        if (period != null && !period.matches("\\d{4}-\\d{2}")) {
            throw new BadRequestException("period: a month, YYYY-MM");
        }
        if (code != null && !code.matches("[A-Z][A-Z0-9_]{0,63}")) {
            throw new BadRequestException("code: a refusal code, e.g. GHG_SAVING_BELOW_THRESHOLD");
        }
        return read.refusals(siteId, period, code, after, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("commands/{eventId}")
    @Operation(summary = "The fate of a command by the event id ledger-service appended it under (its Idempotency-Key or"
            + " the id in its 202 answer): APPLIED or REFUSED with code and message, the actor and the time",
            description = "404 COMMAND_UNKNOWN when the site's log does not hold it (yet).")
    public ReadModels.CommandStatus command(@PathParam("siteId") String siteId, @PathParam("eventId") String eventId) {
        access.readerOf(siteId);
        return read.command(siteId, eventId).orElseThrow(() -> new Problems.Unknown("COMMAND_UNKNOWN",
                "The log of site " + siteId + " holds no event " + eventId + " (yet)"));
    }

    @GET
    @Path("batches/{batchId}/trace")
    @Operation(summary = "Where a batch came from and where it went, with evidence references (R-20)")
    public ReadModels.Trace trace(@PathParam("siteId") String siteId, @PathParam("batchId") String batchId) {
        access.readerOf(siteId);
        return read.trace(siteId, batchId).orElseThrow(() -> new NotFoundException("No batch " + batchId + " at " + siteId));
    }

    @GET
    @Path("audit/verify")
    @Operation(summary = "Recompute the site's hash chain, compare the journal with the ledger topic, and report the first"
            + " broken link, if any", description = "Intact only when the chain holds and the journal holds exactly the site's"
            + " records of the log up to the projection's position, at the same offsets, with the same bytes (log).")
    public ReadModels.Verification verify(@PathParam("siteId") String siteId) {
        access.readerOf(siteId);
        return read.verify(siteId).withLog(log.compare(siteId));
    }

    private long asSeq(String siteId, String asOf) {
        if (asOf.matches("\\d{1,18}")) {
            return Long.parseLong(asOf);
        }
        if (asOf.matches("\\d+")) {
            throw new BadRequestException("asOf: a sequence number has at most 18 digits");
        }
        // a business date: the books as they stood at the end of that day in the site's time zone
        Instant at = instant(siteId, asOf, true);
        return read.seqAt(siteId, asOf.length() == 10 ? at.minusNanos(1000) : at)
                .orElseThrow(() -> new NotFoundException("No event at " + siteId + " before " + asOf));
    }

    /**
     * An ISO-8601 time, or a business date of the site: its first moment in the site's time zone, or with
     * {@code dayEnd} the first moment of the next day (so that a date bounds a range inclusively).
     */
    private Instant instant(String siteId, String text, boolean dayEnd) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                java.time.LocalDate day = java.time.LocalDate.parse(text);
                instant = (dayEnd ? day.plusDays(1) : day).atStartOfDay(read.zone(siteId)).toInstant();
            } catch (DateTimeParseException again) {
                throw new BadRequestException("Not an ISO-8601 time or date: " + text);
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new BadRequestException("A time between " + Bounds.EARLIEST_DATE + " and " + Bounds.LATEST_DATE + " is expected");
        }
        return instant;
    }

    private static final Instant EARLIEST = Bounds.EARLIEST_DATE.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    private static final Instant LATEST = Bounds.LATEST_DATE.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();

    private static YearMonth parsePeriod(String periodId) {
        try {
            return YearMonth.parse(periodId);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("periodId is YYYY-MM");
        }
    }
}
