package eu.massbalance.projection.store;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.engine.HashChain;
import eu.massbalance.projection.engine.PeriodResult;
import eu.massbalance.projection.engine.SiteLedger;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The auditor's queries over the read models. Lists are paginated by an opaque cursor. */
@ApplicationScoped
public class ReadModels {

    @Inject
    AgroalDataSource dataSource;

    public record Period(String periodId, String status, long seq) {
    }

    public record Page<T>(List<T> items, String next) {
    }

    public record StockLine(String batchId, String product, String mixture, BigDecimal onHand, JsonNode characteristics) {
    }

    public record PortionLine(String kind, String batchId, String product, BigDecimal amount, long seq) {
    }

    public record Movement(String deliveryId, long seq, String direction, String status, String occurredAt, String periodId,
                           String datedPeriod, String product, String unit, BigDecimal quantity, BigDecimal sustainable,
                           BigDecimal nonSustainable, BigDecimal openClaim, BigDecimal uncovered, boolean late,
                           List<PortionLine> portions,
                           @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "The event as journaled") String event) {
    }

    /**
     * {@code uncovered}: for an outbound, what its claim left uncovered at its period's close;
     * {@code recordedBy}: who posted the delivery, as ledger-service authenticated them.
     */
    public record TraceLine(String kind, String deliveryId, long seq, String occurredAt, BigDecimal amount, String supplierId,
                            String customerId, String transportDocument, String proofOfSustainability, String certificateId,
                            BigDecimal uncovered, String recordedBy) {
    }

    /** A batch merged into another or from others, or disqualified on hand by a revocation. */
    public record BatchChange(String kind, long seq, String otherBatchId, BigDecimal amount, String note, String otherSiteId) {
    }

    public record Trace(String siteId, String batchId, String product, JsonNode characteristics, List<TraceLine> lines,
                        List<BatchChange> changes) {
    }

    /**
     * A site's journal verified: the hash chain recomputed ({@code events}, {@code head},
     * {@code firstBrokenSeq}) and compared with the ledger topic ({@code log}); intact only when
     * both hold.
     */
    public record Verification(String siteId, boolean intact, long events, String head, Long firstBrokenSeq, String reason,
                               LogComparison.Result log) {

        Verification(String siteId, boolean intact, long events, String head, Long firstBrokenSeq, String reason) {
            this(siteId, intact, events, head, firstBrokenSeq, reason, null);
        }

        public Verification withLog(LogComparison.Result log) {
            if (!intact || log.matches()) {
                return new Verification(siteId, intact, events, head, firstBrokenSeq, reason, log);
            }
            return new Verification(siteId, false, events, head, log.firstMismatchSeq(),
                    log.checked() ? log.reason() : "the journal could not be compared with the log: " + log.reason(), log);
        }
    }

    public List<Period> periods(String siteId) {
        return query("SELECT period_id, status, seq FROM period_balance WHERE site_id = ? ORDER BY period_id",
                rs -> new Period(rs.getString(1), rs.getString(2), rs.getLong(3)), siteId);
    }

    public Optional<JsonNode> balance(String siteId, String periodId) {
        return query("SELECT balance FROM period_balance WHERE site_id = ? AND period_id = ?", rs -> json(rs.getString(1)),
                siteId, periodId).stream().findFirst();
    }

    /** The balance as it stood after event {@code seq}: the journal up to it, replayed into a fresh engine. */
    public Optional<PeriodResult> balanceAsOf(String siteId, YearMonth period, long seq) {
        SiteLedger ledger = new SiteLedger(siteId);
        int[] applied = {0};
        query("SELECT payload FROM journal WHERE site_id = ? AND seq <= ? ORDER BY seq", rs -> {
            String payload = rs.getString(1);
            LedgerJsonSafe.apply(ledger, payload);
            applied[0]++;
            return null;
        }, siteId, seq);
        return applied[0] == 0 ? Optional.empty() : ledger.balance(period);
    }

    /** The last sequence number recorded at or before a time (the broker's timestamp of the event). */
    public Optional<Long> seqAt(String siteId, Instant time) {
        return query("SELECT max(seq) FROM journal WHERE site_id = ? AND recorded_at <= ?",
                rs -> rs.getObject(1) == null ? null : rs.getLong(1), siteId, Timestamp.from(time)).stream()
                .filter(java.util.Objects::nonNull).findFirst();
    }

    public List<StockLine> stock(String siteId) {
        return query("SELECT s.batch_id, s.product, s.mixture, s.on_hand, b.characteristics FROM stock s"
                        + " JOIN batch b ON b.site_id = s.site_id AND b.batch_id = s.batch_id WHERE s.site_id = ? ORDER BY s.position",
                rs -> new StockLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4).stripTrailingZeros(),
                        json(rs.getString(5))), siteId);
    }

    /** The earliest and the latest time a movement list may ask for: no bound at all. */
    public static final Instant NO_FROM = Instant.EPOCH;
    public static final Instant NO_TO = Instant.parse("9999-12-31T00:00:00Z");

    /**
     * A page of the site's movements in log order. Without a time window the statement has no time
     * condition: a prepared statement's generic plan would otherwise read the whole site through
     * the (site, time) index and sort it (1.4 s for 35,000 movements), where the (site, seq) index
     * reads just the page.
     */
    public Page<Movement> movements(String siteId, Instant from, Instant to, long after, int limit) {
        boolean window = from.isAfter(NO_FROM) || to.isBefore(NO_TO);
        String sql = "SELECT m.delivery_id, m.seq, m.direction, m.status, m.occurred_at, m.period_id, m.dated_period,"
                + " m.product, m.unit, m.quantity, m.sustainable, m.non_sustainable, m.open_claim, m.uncovered, m.late, j.payload"
                + " FROM movement m"
                + " JOIN journal j ON j.site_id = m.site_id AND j.seq = m.event_seq"
                + " WHERE m.site_id = ?" + (window ? " AND m.occurred_at >= ? AND m.occurred_at < ?" : "")
                + " AND m.seq > ? ORDER BY m.seq LIMIT ?";
        Object[] parameters = window ? new Object[] {siteId, Timestamp.from(from), Timestamp.from(to), after, limit + 1}
                : new Object[] {siteId, after, limit + 1};
        List<Movement> rows = query(sql,
                rs -> new Movement(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant().toString(), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), n(rs.getBigDecimal(10)), n(rs.getBigDecimal(11)), n(rs.getBigDecimal(12)),
                        n(rs.getBigDecimal(13)), n(rs.getBigDecimal(14)), rs.getBoolean(15), new ArrayList<>(),
                        rs.getString(16)),
                parameters);
        boolean more = rows.size() > limit;
        List<Movement> page = more ? rows.subList(0, limit) : rows;
        // the page's portions in one query, not one per movement
        Map<String, Movement> byDelivery = new HashMap<>();
        page.forEach(m -> byDelivery.put(m.deliveryId(), m));
        if (!byDelivery.isEmpty()) {
            query("SELECT delivery_id, kind, batch_id, product, amount, seq FROM portion WHERE site_id = ? AND delivery_id = ANY (?)"
                            + " ORDER BY delivery_id, seq, ordinal",
                    rs -> byDelivery.get(rs.getString(1)).portions().add(new PortionLine(rs.getString(2), rs.getString(3),
                            rs.getString(4), n(rs.getBigDecimal(5)), rs.getLong(6))),
                    siteId, byDelivery.keySet().toArray(new String[0]));
        }
        return new Page<>(List.copyOf(page), more ? String.valueOf(page.get(page.size() - 1).seq()) : null);
    }

    /** One refusal: of a whole event, of one batch of an inbound, or of a pending delivery at its period. */
    public record RefusalLine(long seq, int ordinal, String kind, String eventType, String reference, String batchId,
                              String periodId, String code, String message, String recordedAt) {
    }

    /** An event of the site's log that concerns a delivery or command, as journaled. */
    public record Journaled(long seq, String eventType, String eventId, String recordedAt, String actor, String refusalCode,
                            String refusalMessage) {
    }

    /**
     * The fate of a delivery: {@code PENDING} (waiting for {@code periodId} to open), {@code BOOKED}
     * in {@code periodId} with its portions, {@code REFUSED} (every refusal with its code),
     * {@code REVERSED}; the events that concern it with their actors and times.
     */
    public record DeliveryStatus(String siteId, String deliveryId, String state, String direction, String periodId,
                                 String datedPeriod, String product, String unit, BigDecimal quantity, BigDecimal sustainable,
                                 BigDecimal nonSustainable, BigDecimal openClaim, BigDecimal uncovered, String recordedBy,
                                 String occurredAt, List<PortionLine> portions, List<RefusalLine> refusals,
                                 List<Journaled> events) {
    }

    /** A workflow command's fate, by the event id it was appended under: APPLIED or REFUSED. */
    public record CommandStatus(String siteId, String eventId, String state, Journaled event) {
    }

    private static final String REFUSAL_COLUMNS = "r.seq, r.ordinal, r.kind, r.event_type, r.reference, r.batch_id, r.period_id,"
            + " r.code, r.message, j.recorded_at";

    private static RefusalLine refusalLine(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(10);
        return new RefusalLine(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), at == null ? null : at.toInstant().toString());
    }

    private static Journaled journaled(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(4);
        JsonNode event = json(rs.getString(5));
        String actor = text(event, "recordedBy");
        if (actor == null) {
            actor = text(event, "requestedBy");
        }
        return new Journaled(rs.getLong(1), rs.getString(2), rs.getString(3), at == null ? null : at.toInstant().toString(), actor,
                rs.getString(6), rs.getString(7));
    }

    /** Refusals of a site, in log order, optionally of one period and one code. */
    public Page<RefusalLine> refusals(String siteId, String periodId, String code, long after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + REFUSAL_COLUMNS + " FROM refusal r"
                + " JOIN journal j ON j.site_id = r.site_id AND j.seq = r.seq WHERE r.site_id = ? AND r.seq > ?");
        List<Object> args = new ArrayList<>(List.of(siteId, after));
        if (periodId != null) {
            sql.append(" AND r.period_id = ?");
            args.add(periodId);
        }
        if (code != null) {
            sql.append(" AND r.code = ?");
            args.add(code);
        }
        sql.append(" ORDER BY r.seq, r.ordinal LIMIT ?");
        args.add(limit + 1);
        List<RefusalLine> rows = query(sql.toString(), ReadModels::refusalLine, args.toArray());
        boolean more = rows.size() > limit;
        List<RefusalLine> page = more ? rows.subList(0, limit) : rows;
        // a page ends at a whole event: the next page starts after its sequence number
        if (more && page.get(page.size() - 1).seq() == rows.get(limit).seq()) {
            long cut = rows.get(limit).seq();
            List<RefusalLine> whole = page.stream().filter(r -> r.seq() != cut).toList();
            page = whole.isEmpty() ? rows.stream().filter(r -> r.seq() == cut).toList() : whole;
        }
        return new Page<>(List.copyOf(page), more ? String.valueOf(page.get(page.size() - 1).seq()) : null);
    }

    /** The fate of one delivery, if the site's log holds it. */
    public Optional<DeliveryStatus> delivery(String siteId, String deliveryId) {
        List<RefusalLine> refusals = query("SELECT " + REFUSAL_COLUMNS + " FROM refusal r"
                + " JOIN journal j ON j.site_id = r.site_id AND j.seq = r.seq WHERE r.site_id = ? AND r.reference = ?"
                + " AND r.event_type IN ('InboundDelivery', 'OutboundDelivery', 'PendingDelivery', 'DeliveryReversed', 'OpeningStockDeclared',"
                + " 'ProcessingRun', 'TransferInTransit', 'TransferReceived')"
                + " ORDER BY r.seq, r.ordinal", ReadModels::refusalLine, siteId, deliveryId);
        List<Movement> movement = query("SELECT m.delivery_id, m.seq, m.direction, m.status, m.occurred_at, m.period_id,"
                        + " m.dated_period, m.product, m.unit, m.quantity, m.sustainable, m.non_sustainable, m.open_claim,"
                        + " m.uncovered, m.late, j.payload, m.event_seq"
                        + " FROM movement m JOIN journal j ON j.site_id = m.site_id AND j.seq = m.event_seq"
                        + " WHERE m.site_id = ? AND m.delivery_id = ?",
                rs -> new Movement(rs.getString(1), rs.getLong(17), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant().toString(), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), n(rs.getBigDecimal(10)), n(rs.getBigDecimal(11)), n(rs.getBigDecimal(12)),
                        n(rs.getBigDecimal(13)), n(rs.getBigDecimal(14)), rs.getBoolean(15), new ArrayList<>(),
                        rs.getString(16)),
                siteId, deliveryId);
        if (movement.isEmpty() && refusals.isEmpty()) {
            return Optional.empty();
        }
        java.util.SortedSet<Long> seqs = new java.util.TreeSet<>();
        refusals.forEach(r -> seqs.add(r.seq()));
        movement.forEach(m -> seqs.add(m.seq()));
        List<PortionLine> portions = query("SELECT kind, batch_id, product, amount, seq FROM portion WHERE site_id = ?"
                        + " AND delivery_id = ? ORDER BY seq, ordinal",
                rs -> new PortionLine(rs.getString(1), rs.getString(2), rs.getString(3), n(rs.getBigDecimal(4)), rs.getLong(5)),
                siteId, deliveryId);
        portions.forEach(p -> seqs.add(p.seq()));
        List<Journaled> events = query("SELECT seq, event_type, event_id, recorded_at, payload, refusal_code, refusal_message"
                + " FROM journal WHERE site_id = ? AND seq = ANY (?) ORDER BY seq", ReadModels::journaled, siteId,
                seqs.toArray(new Long[0]));
        if (movement.isEmpty()) {
            RefusalLine last = refusals.get(refusals.size() - 1);
            Journaled own = events.stream().filter(e -> e.seq() == last.seq()).findFirst().orElse(null);
            return Optional.of(new DeliveryStatus(siteId, deliveryId, "REFUSED", null, last.periodId(), null, null, null, null,
                    null, null, null, null, own == null ? null : own.actor(), null, portions, refusals, events));
        }
        Movement m = movement.get(0);
        String state = switch (m.status()) {
            case "PENDING" -> "PENDING";
            case "IN_TRANSIT" -> "IN_TRANSIT";
            case "REVERSED" -> "REVERSED";
            case "REFUSED" -> "REFUSED";
            default -> "BOOKED";
        };
        return Optional.of(new DeliveryStatus(siteId, deliveryId, state, m.direction(), m.periodId(), m.datedPeriod(), m.product(),
                m.unit(), m.quantity(), m.sustainable(), m.nonSustainable(), m.openClaim(), m.uncovered(),
                text(json(m.event()), "recordedBy"), m.occurredAt(), portions, refusals, events));
    }

    /** a transfer between two sites, as both see it; a list holds the newest 1,000, newest first. */
    public record Transfer(String transferId, String sourceSiteId, String deliveryId, String destinationSiteId, String direction,
                           String status, String product, String unit, BigDecimal quantity, BigDecimal sustainable,
                           String dispatchedAt, String receivedUnit, BigDecimal receivedQuantity, BigDecimal sustainableLost) {
    }

    public List<Transfer> transfers(String siteId, String direction, String status) {
        String where = direction == null ? "(source_site_id = ? OR destination_site_id = ?)"
                : direction.equals("out") ? "(source_site_id = ? AND ? IS NOT NULL)" : "(destination_site_id = ? AND ? IS NOT NULL)";
        return query("SELECT source_site_id, delivery_id, destination_site_id, status, product, unit, quantity, sustainable,"
                        + " dispatched_at, received_unit, received_quantity, sustainable_lost FROM transfer WHERE " + where
                        + " AND (?::text IS NULL OR status = ?) ORDER BY dispatched_at DESC, source_site_id, delivery_id LIMIT 1000",
                rs -> new Transfer(rs.getString(1) + ":" + rs.getString(2), rs.getString(1), rs.getString(2), rs.getString(3),
                        siteId.equals(rs.getString(1)) ? "out" : "in", rs.getString(4), rs.getString(5), rs.getString(6),
                        n(rs.getBigDecimal(7)), n(rs.getBigDecimal(8)), rs.getTimestamp(9).toInstant().toString(), rs.getString(10),
                        rs.getBigDecimal(11) == null ? null : n(rs.getBigDecimal(11)),
                        rs.getBigDecimal(12) == null ? null : n(rs.getBigDecimal(12))),
                siteId, siteId, status, status);
    }

    /** A command's fate by the event id ledger-service appended it under. */
    public Optional<CommandStatus> command(String siteId, String eventId) {
        return query("SELECT seq, event_type, event_id, recorded_at, payload, refusal_code, refusal_message FROM journal"
                        + " WHERE site_id = ? AND event_id = ? ORDER BY seq LIMIT 1", ReadModels::journaled, siteId, eventId)
                .stream().findFirst()
                .map(j -> new CommandStatus(siteId, eventId, j.refusalCode() == null ? "APPLIED" : "REFUSED", j));
    }

    /** every inbound a batch came from, every portion drawn from it, with the evidence references. */
    public Optional<Trace> trace(String siteId, String batchId) {
        List<Trace> batch = query("SELECT product, characteristics FROM batch WHERE site_id = ? AND batch_id = ?",
                rs -> new Trace(siteId, batchId, rs.getString(1), json(rs.getString(2)), new ArrayList<>(), new ArrayList<>()),
                siteId, batchId);
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        Trace trace = batch.get(0);
        trace.lines().addAll(query("SELECT p.kind, p.delivery_id, p.seq, m.occurred_at, p.amount, j.payload, m.uncovered FROM portion p"
                        + " JOIN movement m ON m.site_id = p.site_id AND m.delivery_id = p.delivery_id"
                        + " JOIN journal j ON j.site_id = m.site_id AND j.seq = m.event_seq"
                        + " WHERE p.site_id = ? AND p.batch_id = ? ORDER BY p.seq, p.ordinal",
                rs -> {
                    JsonNode event = json(rs.getString(6));
                    JsonNode line = findLine(event, batchId);
                    return new TraceLine(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getTimestamp(4).toInstant().toString(),
                            n(rs.getBigDecimal(5)), text(event, "supplierId"), text(event, "customerId"),
                            text(event, "transportDocument"), text(line.path("characteristics"), "proofOfSustainability"),
                            text(line.path("characteristics"), "certificateId"), n(rs.getBigDecimal(7)), text(event, "recordedBy"));
                }, siteId, batchId));
        trace.changes().addAll(query("SELECT kind, seq, other_batch_id, amount, note, other_site_id FROM batch_change"
                        + " WHERE site_id = ? AND batch_id = ? ORDER BY seq, ordinal",
                rs -> new BatchChange(rs.getString(1), rs.getLong(2), rs.getString(3), n(rs.getBigDecimal(4)), rs.getString(5),
                        rs.getString(6)),
                siteId, batchId));
        return Optional.of(trace);
    }

    private static JsonNode findLine(JsonNode event, String batchId) {
        for (String list : new String[] {"sustainable", "batches"}) {
            for (JsonNode line : event.path(list)) {
                if (batchId.equals(line.path("batchId").asText())) {
                    return line;
                }
            }
        }
        return LedgerJson.mapper().createObjectNode();
    }

    /** Recomputes the site's hash chain from the stored payloads and reports the first broken link. */
    public Verification verify(String siteId) {
        HashChain chain = new HashChain();
        long expectedSeq = 1;
        String head = HexFormat.of().formatHex(HashChain.GENESIS);
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT seq, payload, hash FROM journal WHERE site_id = ? ORDER BY seq")) {
            select.setString(1, siteId);
            select.setFetchSize(5000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (seq != expectedSeq) {
                        return new Verification(siteId, false, expectedSeq - 1, head, expectedSeq,
                                "event " + expectedSeq + " is missing from the journal");
                    }
                    head = HexFormat.of().formatHex(chain.append(rs.getString(2).getBytes(StandardCharsets.UTF_8)));
                    if (!head.equals(rs.getString(3))) {
                        return new Verification(siteId, false, seq, head, seq,
                                "the stored hash of event " + seq + " does not match its payload and the previous link");
                    }
                    expectedSeq++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Verification(siteId, true, expectedSeq - 1, head, null, null);
    }

    /** The organisation a site belongs to, if the projection has seen its configuration with one. */
    public Optional<String> organisationOf(String siteId) {
        return query("SELECT organisation_id FROM site_organisation WHERE site_id = ?", rs -> rs.getString(1), siteId)
                .stream().findFirst();
    }

    /** The site's configuration as the projection holds it. */
    public Optional<eu.massbalance.contracts.event.SiteConfigured> configuration(String siteId) {
        return query("SELECT configuration::text FROM site_setup WHERE site_id = ?",
                rs -> LedgerJson.read(rs.getString(1), eu.massbalance.contracts.event.SiteConfigured.class), siteId).stream().findFirst();
    }

    /** A site at a glance, for the workspace's overview. */
    /** The site's time zone (its business dates), UTC for a site not configured. */
    public java.time.ZoneId zone(String siteId) {
        return configuration(siteId).map(c -> java.time.ZoneId.of(c.timeZone())).orElse(java.time.ZoneOffset.UTC);
    }

    public record SiteSummary(String siteId, String organisationId, String name, String openPeriod, String lastClosed,
                              long openMajor, long openMinor, long openObservations, long events) {
    }

    /** The sites of {@code organisations}: open period, last close, open deviations by class, events on the log. */
    public List<SiteSummary> sites(java.util.Set<String> organisations) {
        return query("SELECT o.site_id, o.organisation_id, s.configuration ->> 'name',"
                + " (SELECT min(period_id) FROM period_balance b WHERE b.site_id = o.site_id AND b.status <> 'CLOSED'),"
                + " (SELECT max(period_id) FROM period_balance b WHERE b.site_id = o.site_id AND b.status = 'CLOSED'),"
                + " (SELECT count(*) FROM deviation d WHERE d.site_id = o.site_id AND d.status <> 'CLOSED' AND d.class = 'MAJOR'),"
                + " (SELECT count(*) FROM deviation d WHERE d.site_id = o.site_id AND d.status <> 'CLOSED' AND d.class = 'MINOR'),"
                + " (SELECT count(*) FROM deviation d WHERE d.site_id = o.site_id AND d.status <> 'CLOSED' AND d.class = 'OBSERVATION'),"
                + " coalesce((SELECT max(seq) FROM journal j WHERE j.site_id = o.site_id), 0)"
                + " FROM site_organisation o LEFT JOIN site_setup s ON s.site_id = o.site_id"
                + " WHERE o.organisation_id = ANY (?) ORDER BY o.organisation_id, o.site_id",
                rs -> new SiteSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)),
                (Object) organisations.toArray(new String[0]));
    }

    /** What an outbound drew, for its recycled-content report: its unit, and per batch the net drawn amount with the batch's characteristics. */
    public record DrawnBatches(String deliveryId, String direction, String unit, List<DrawnBatch> batches) {
    }

    public record DrawnBatch(String batchId, BigDecimal amount, JsonNode characteristics) {
    }

    public Optional<DrawnBatches> drawnBatches(String siteId, String deliveryId) {
        List<String[]> movement = query("SELECT direction, unit FROM movement WHERE site_id = ? AND delivery_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, siteId, deliveryId);
        if (movement.isEmpty()) {
            return Optional.empty();
        }
        List<DrawnBatch> batches = query("SELECT p.batch_id, sum(CASE WHEN p.kind = 'RETURNED' THEN -p.amount ELSE p.amount END),"
                        + " b.characteristics::text FROM portion p JOIN batch b ON b.site_id = p.site_id AND b.batch_id = p.batch_id"
                        + " WHERE p.site_id = ? AND p.delivery_id = ? AND p.kind IN ('DRAWN', 'RETURNED')"
                        + " GROUP BY p.batch_id, b.characteristics::text ORDER BY p.batch_id",
                rs -> new DrawnBatch(rs.getString(1), n(rs.getBigDecimal(2)), json(rs.getString(3))), siteId, deliveryId);
        return Optional.of(new DrawnBatches(deliveryId, movement.get(0)[0], movement.get(0)[1],
                batches.stream().filter(b -> b.amount().signum() > 0).toList()));
    }

    /** One deviation of a site, with its history. */
    public Optional<JsonNode> deviation(String siteId, String deviationId) {
        return query("SELECT body FROM deviation WHERE site_id = ? AND deviation_id = ?", rs -> json(rs.getString(1)), siteId,
                deviationId).stream().findFirst();
    }

    /** Deviations of the sites of {@code organisations} only. */
    public Page<JsonNode> deviations(java.util.Set<String> organisations, String siteId, String deviationClass, String status,
                                     long after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT body, changed_seq, raised_seq FROM deviation WHERE site_id IN"
                + " (SELECT site_id FROM site_organisation WHERE organisation_id = ANY (?))");
        List<Object> args = new ArrayList<>();
        args.add(organisations.toArray(new String[0]));
        if (siteId != null) {
            sql.append(" AND site_id = ?");
            args.add(siteId);
        }
        if (deviationClass != null) {
            sql.append(" AND class = ?");
            args.add(deviationClass);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        // a cursor over (site, raised_seq) would need two values; a row number over a stable order is enough here
        sql.append(" ORDER BY site_id, raised_seq, deviation_id OFFSET ? LIMIT ?");
        args.add(after);
        args.add(limit + 1);
        List<JsonNode> rows = query(sql.toString(), rs -> json(rs.getString(1)), args.toArray());
        boolean more = rows.size() > limit;
        return new Page<>(more ? rows.subList(0, limit) : rows, more ? String.valueOf(after + limit) : null);
    }

    // ------------------------------------------------------------------ helpers

    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            select.setFetchSize(1000);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return LedgerJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static BigDecimal n(BigDecimal value) {
        return value == null ? null : value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    /** Replays a stored payload; an unreadable one is applied as what it was on the log, an invalid event. */
    static final class LedgerJsonSafe {
        static void apply(SiteLedger ledger, String payload) {
            eu.massbalance.contracts.event.LedgerEvent event;
            try {
                event = LedgerJson.readEvent(payload);
            } catch (RuntimeException e) {
                event = null;
            }
            ledger.apply(event);
        }
    }
}
