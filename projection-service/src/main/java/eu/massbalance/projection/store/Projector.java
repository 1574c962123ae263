package eu.massbalance.projection.store;

import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.engine.Applied;
import eu.massbalance.projection.engine.Deviation;
import eu.massbalance.projection.engine.Effect;
import eu.massbalance.projection.engine.HashChain;
import eu.massbalance.projection.engine.PeriodResult;
import eu.massbalance.projection.engine.Portion;
import eu.massbalance.projection.engine.SiteLedger;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies polled batches of the site logs to the mass-balance engine and writes everything the
 * batch did — journal with sequence numbers and chain hashes, movements and their batch
 * portions, balances, stock, deviations, outbox and webhook rows — in ONE transaction together
 * with the partitions' next offsets, with JDBC batching. Site state stays in memory for the
 * partitions this instance owns; when the database says a partition moved on without us (another
 * instance owned it for a while), its state is reloaded from the journal before going on.
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "projection.webhooks.urls")
    Optional<List<String>> webhookUrls;

    private Counter applied;

    /** Owned partitions: the site states they hold and the next offset those states include. */
    private final Map<Integer, PartitionState> partitions = new HashMap<>();

    static final class SiteState {
        final SiteLedger ledger;
        final HashChain chain;

        SiteState(SiteLedger ledger, HashChain chain) {
            this.ledger = ledger;
            this.chain = chain;
        }
    }

    static final class PartitionState {
        final Map<String, SiteState> sites = new HashMap<>();
        long nextOffset;
    }

    @PostConstruct
    void meters() {
        applied = metrics.counter("massbalance.projection.events.applied");
    }

    // ------------------------------------------------------------------ partitions

    /** On assignment: load the partitions' site states and return where each resumes. */
    public synchronized Map<TopicPartition, Long> assigned(Collection<TopicPartition> assigned) {
        Map<TopicPartition, Long> resume = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (TopicPartition tp : assigned) {
                long next = storedOffset(c, tp);
                partitions.put(tp.partition(), load(c, tp.partition(), next));
                resume.put(tp, next);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not load the state of partitions " + assigned, e);
        }
        return resume;
    }

    public synchronized void revoked(Collection<TopicPartition> revoked) {
        revoked.forEach(tp -> partitions.remove(tp.partition()));
    }

    private static long storedOffset(Connection c, TopicPartition tp) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT next_offset FROM consumer_offset WHERE topic = ? AND kafka_partition = ?")) {
            select.setString(1, tp.topic());
            select.setInt(2, tp.partition());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    /** Rebuilds the in-memory state of one partition's sites from the journal. */
    private PartitionState load(Connection c, int partition, long nextOffset) throws SQLException {
        PartitionState state = new PartitionState();
        state.nextOffset = nextOffset;
        long events = 0;
        Map<String, String> heads = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT site_id, payload, hash FROM journal WHERE kafka_partition = ? ORDER BY site_id, seq")) {
            select.setInt(1, partition);
            select.setFetchSize(5000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String siteId = rs.getString(1);
                    state.sites.computeIfAbsent(siteId, id -> new SiteState(new SiteLedger(id), new HashChain()))
                            .ledger.apply(parse(rs.getString(2)));
                    heads.put(siteId, rs.getString(3));
                    events++;
                }
            }
        }
        heads.forEach((siteId, head) -> state.sites.put(siteId,
                new SiteState(state.sites.get(siteId).ledger, new HashChain(HexFormat.of().parseHex(head)))));
        LOG.infof("Partition %d: %d sites loaded from %d journal events; resuming at offset %d", partition,
                state.sites.size(), events, nextOffset);
        return state;
    }

    private static LedgerEvent parse(String payload) {
        try {
            return LedgerJson.readEvent(payload);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ apply a polled batch

    public synchronized void apply(ConsumerRecords<String, String> records) {
        if (records.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // safe for a projection: the rows and their offsets commit together, so a commit lost in a
                // crash is simply consumed again from the ledger (which Kafka keeps for ever)
                s.execute("SET LOCAL synchronous_commit = off");
            }
            long began = System.nanoTime();
            try {
                Map<TopicPartition, Long> next = lockOffsets(c, records.partitions());
                Writer writer = new Writer(c);
                Map<String, SiteState> touched = new LinkedHashMap<>();
                long count = 0;
                for (TopicPartition tp : records.partitions()) {
                    PartitionState state = partitions.get(tp.partition());
                    long stored = next.get(tp);
                    if (state == null || state.nextOffset != stored) {
                        // another instance moved this partition on, or we never loaded it: the journal decides
                        state = load(c, tp.partition(), stored);
                        partitions.put(tp.partition(), state);
                    }
                    for (ConsumerRecord<String, String> record : records.records(tp)) {
                        if (record.offset() < state.nextOffset) {
                            continue; // applied before: a redelivery after a crash or a rebalance
                        }
                        String siteId = applyRecord(record, state, writer, touched);
                        touched.putIfAbsent(siteId, state.sites.get(siteId));
                        state.nextOffset = record.offset() + 1;
                        count++;
                    }
                    next.put(tp, state.nextOffset);
                }
                long applying = System.nanoTime();
                for (Map.Entry<String, SiteState> site : touched.entrySet()) {
                    writer.views(site.getKey(), site.getValue().ledger);
                }
                long viewing = System.nanoTime();
                writer.execute();
                saveOffsets(c, next);
                c.commit();
                applied.increment(count);
                if (LOG.isDebugEnabled()) {
                    long done = System.nanoTime();
                    LOG.debugf("batch of %d events, %d sites: apply+bind %d ms, views %d ms, write+commit %d ms", count,
                            touched.size(), (applying - began) / 1_000_000, (viewing - applying) / 1_000_000, (done - viewing) / 1_000_000);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                // the in-memory states may be ahead of the database now: forget them, the journal rebuilds them
                records.partitions().forEach(tp -> partitions.remove(tp.partition()));
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store a batch of ledger records", e);
        }
    }

    private String applyRecord(ConsumerRecord<String, String> record, PartitionState state, Writer writer,
                               Map<String, SiteState> touched) throws SQLException {
        LedgerEvent event = parse(record.value());
        String siteId = event != null && event.siteId() != null ? event.siteId() : String.valueOf(record.key());
        SiteState site = state.sites.computeIfAbsent(siteId, id -> new SiteState(new SiteLedger(id), new HashChain()));
        Applied result = site.ledger.apply(event);
        String hash = HexFormat.of().formatHex(site.chain.append(record.value().getBytes(StandardCharsets.UTF_8)));
        Effect.Refused refused = result.refused() ? (Effect.Refused) result.effects().get(0) : null;
        writer.journal(siteId, result.seq(), header(record, "ce_id"), event == null ? "Unreadable" : event.getClass().getSimpleName(),
                record.partition(), record.offset(), record.timestamp(), record.value(), hash,
                refused == null ? null : refused.code(), refused == null ? null : refused.message());
        for (Effect effect : result.effects()) {
            writer.effect(siteId, event, effect, site.ledger);
        }
        return siteId;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Locks the partitions' offset rows, so two instances in a rebalance never apply the same records. */
    private static Map<TopicPartition, Long> lockOffsets(Connection c, Set<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> next = new HashMap<>();
        try (PreparedStatement ensure = c.prepareStatement(
                "INSERT INTO consumer_offset (topic, kafka_partition, next_offset) VALUES (?, ?, 0) ON CONFLICT DO NOTHING");
             PreparedStatement lock = c.prepareStatement(
                     "SELECT next_offset FROM consumer_offset WHERE topic = ? AND kafka_partition = ? FOR UPDATE")) {
            for (TopicPartition tp : partitions.stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList()) {
                ensure.setString(1, tp.topic());
                ensure.setInt(2, tp.partition());
                ensure.executeUpdate();
                lock.setString(1, tp.topic());
                lock.setInt(2, tp.partition());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    next.put(tp, rs.getLong(1));
                }
            }
        }
        return next;
    }

    private static void saveOffsets(Connection c, Map<TopicPartition, Long> next) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE consumer_offset SET next_offset = ? WHERE topic = ? AND kafka_partition = ?")) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                update.setLong(1, e.getValue());
                update.setString(2, e.getKey().topic());
                update.setInt(3, e.getKey().partition());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    // ------------------------------------------------------------------ rows

    /** The prepared statements of one batch; every row is added to a JDBC batch and sent at the end. */
    private final class Writer {
        final StringBuilder journal = new StringBuilder(1 << 20);
        final StringBuilder portion = new StringBuilder(1 << 16);
        final Connection connection;
        final PreparedStatement movement;
        final PreparedStatement movementStatus;
        final PreparedStatement openClaim;
        final PreparedStatement batch;
        final PreparedStatement balance;
        final PreparedStatement stockDelete;
        final PreparedStatement stockInsert;
        final PreparedStatement deviation;
        final PreparedStatement outbox;
        final PreparedStatement webhook;
        final List<PreparedStatement> inOrder;

        Writer(Connection c) throws SQLException {
            connection = c;
            batch = c.prepareStatement("INSERT INTO batch (site_id, batch_id, product, characteristics, first_seq)"
                    + " VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING");
            movement = c.prepareStatement("INSERT INTO movement (site_id, delivery_id, seq, direction, status, occurred_at,"
                    + " period_id, dated_period, product, unit, quantity, sustainable, non_sustainable, open_claim, late, event_seq)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (site_id, delivery_id) DO UPDATE SET seq = excluded.seq, status = excluded.status,"
                    + " period_id = excluded.period_id, unit = excluded.unit, quantity = excluded.quantity,"
                    + " sustainable = excluded.sustainable, non_sustainable = excluded.non_sustainable,"
                    + " open_claim = excluded.open_claim, late = excluded.late");
            openClaim = c.prepareStatement("UPDATE movement SET open_claim = ? WHERE site_id = ? AND delivery_id = ?");
            movementStatus = c.prepareStatement("UPDATE movement SET status = ?, open_claim = 0 WHERE site_id = ? AND delivery_id = ?");
            balance = c.prepareStatement("INSERT INTO period_balance (site_id, period_id, status, seq, balance)"
                    + " VALUES (?, ?, ?, ?, ?::jsonb) ON CONFLICT (site_id, period_id) DO UPDATE SET status = excluded.status,"
                    + " seq = excluded.seq, balance = excluded.balance WHERE period_balance.status <> 'CLOSED'");
            stockDelete = c.prepareStatement("DELETE FROM stock WHERE site_id = ?");
            stockInsert = c.prepareStatement("INSERT INTO stock (site_id, batch_id, product, mixture, on_hand, position)"
                    + " VALUES (?, ?, ?, ?, ?, ?)");
            deviation = c.prepareStatement("INSERT INTO deviation (deviation_id, site_id, period_id, rule, class, status,"
                    + " raised_seq, changed_seq, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (deviation_id)"
                    + " DO UPDATE SET class = excluded.class, status = excluded.status, changed_seq = excluded.changed_seq,"
                    + " body = excluded.body");
            outbox = c.prepareStatement("INSERT INTO outbox (topic, message_key, ce_id, ce_type, payload) VALUES (?, ?, ?, ?, ?)");
            webhook = c.prepareStatement("INSERT INTO webhook_delivery (url, deviation_id, payload) VALUES (?, ?, ?)");
            // journal and batches before the rows that refer to them; stock deletes before inserts
            inOrder = List.of(batch, movement, openClaim, movementStatus, balance, stockDelete, stockInsert,
                    deviation, outbox, webhook);
        }

        /** The append-only rows go in with COPY, the rest as JDBC batches. */
        void execute() throws SQLException {
            try {
                org.postgresql.copy.CopyManager copy = connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
                copy.copyIn("COPY journal (site_id, seq, event_id, event_type, kafka_partition, kafka_offset, recorded_at, payload,"
                        + " hash, refusal_code, refusal_message) FROM STDIN", new java.io.StringReader(journal.toString()));
                if (portion.length() > 0) {
                    copy.copyIn("COPY portion (site_id, delivery_id, seq, kind, batch_id, product, amount) FROM STDIN",
                            new java.io.StringReader(portion.toString()));
                }
            } catch (java.io.IOException e) {
                throw new SQLException("COPY failed", e);
            }
            for (PreparedStatement statement : inOrder) {
                statement.executeBatch();
                statement.close();
            }
        }

        /** One field of a COPY text row: tabs, newlines and backslashes escaped, null as \N. */
        private void field(StringBuilder row, Object value, boolean last) {
            if (value == null) {
                row.append("\\N");
            } else {
                String text = value.toString();
                for (int i = 0; i < text.length(); i++) {
                    char ch = text.charAt(i);
                    switch (ch) {
                        case '\\' -> row.append("\\\\");
                        case '\t' -> row.append("\\t");
                        case '\n' -> row.append("\\n");
                        case '\r' -> row.append("\\r");
                        default -> row.append(ch);
                    }
                }
            }
            row.append(last ? '\n' : '\t');
        }

        void journal(String siteId, long seq, String eventId, String type, int partition, long offset, long timestamp,
                     String payload, String hash, String refusalCode, String refusalMessage) {
            field(journal, siteId, false);
            field(journal, seq, false);
            field(journal, eventId, false);
            field(journal, type, false);
            field(journal, partition, false);
            field(journal, offset, false);
            field(journal, timestamp > 0 ? Instant.ofEpochMilli(timestamp) : null, false);
            field(journal, payload, false);
            field(journal, hash, false);
            field(journal, refusalCode, false);
            field(journal, refusalMessage, true);
        }

        void effect(String siteId, LedgerEvent event, Effect effect, SiteLedger ledger) throws SQLException {
            if (effect instanceof Effect.Booked b) {
                booked(siteId, b);
            } else if (effect instanceof Effect.Pending p) {
                pending(siteId, p, event);
            } else if (effect instanceof Effect.ClaimCovered covered) {
                for (Portion portion : covered.portions()) {
                    portion(siteId, covered.deliveryId(), covered.seq(), "DRAWN", portion);
                }
                openClaim.setBigDecimal(1, covered.stillOpen());
                openClaim.setString(2, siteId);
                openClaim.setString(3, covered.deliveryId());
                openClaim.addBatch();
            } else if (effect instanceof Effect.Reversed r) {
                for (Portion portion : r.returned()) {
                    portion(siteId, r.deliveryId(), r.seq(), "RETURNED", portion);
                }
                movementStatus.setString(1, "REVERSED");
                movementStatus.setString(2, siteId);
                movementStatus.setString(3, r.deliveryId());
                movementStatus.addBatch();
            } else if (effect instanceof Effect.PeriodClosed closed) {
                PeriodResult result = closed.result();
                balance(siteId, result, closed.seq());
                outbox(Topics.PERIOD_RESULTS, siteId, "period/" + siteId + "/" + result.periodId(), "massbalance.PeriodResult.v1",
                        LedgerJson.write(Notices.periodResult(result, closed.seq())));
            } else if (effect instanceof Effect.DeviationRaised raised) {
                deviation(raised.deviation(), raised.seq(), raised.seq(), "raised");
            } else if (effect instanceof Effect.DeviationChanged changed) {
                deviation(changed.deviation(), -1, changed.seq(), "changed");
            } else if (effect instanceof Effect.Merged merged) {
                batch(siteId, merged.targetBatchId(), null, merged.characteristics(), merged.seq(), ledger, merged.sourceBatchIds());
            }
        }

        private void booked(String siteId, Effect.Booked b) throws SQLException {
            movement.setString(1, siteId);
            movement.setString(2, b.deliveryId());
            movement.setLong(3, b.seq());
            movement.setString(4, b.direction().name());
            movement.setString(5, "BOOKED");
            movement.setTimestamp(6, Timestamp.from(b.occurredAt().toInstant()));
            movement.setString(7, b.periodId().toString());
            movement.setString(8, b.datedPeriod().toString());
            movement.setString(9, b.product());
            movement.setString(10, b.unit().symbol());
            movement.setBigDecimal(11, b.quantity());
            movement.setBigDecimal(12, b.sustainable());
            movement.setBigDecimal(13, b.nonSustainable());
            movement.setBigDecimal(14, b.open());
            movement.setBoolean(15, b.late());
            // a released pending delivery keeps the event_seq of its own event (the upsert does not change it)
            movement.setLong(16, b.seq());
            movement.addBatch();
            String kind = b.direction() == Effect.Direction.INBOUND ? "RECEIVED" : "DRAWN";
            for (Portion p : b.portions()) {
                if (b.direction() == Effect.Direction.INBOUND) {
                    batch(siteId, p.batchId(), p.product(), p.characteristics(), b.seq(), null, List.of());
                }
                portion(siteId, b.deliveryId(), b.seq(), kind, p);
            }
        }

        private void pending(String siteId, Effect.Pending p, LedgerEvent event) throws SQLException {
            boolean inbound = event instanceof InboundDelivery;
            var quantity = inbound ? ((InboundDelivery) event).quantity() : ((OutboundDelivery) event).quantity();
            var lines = inbound ? ((InboundDelivery) event).sustainable() : ((OutboundDelivery) event).sustainable();
            BigDecimal sustainable = lines.stream().map(l -> l.amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
            movement.setString(1, siteId);
            movement.setString(2, p.deliveryId());
            movement.setLong(3, p.seq());
            movement.setString(4, inbound ? "INBOUND" : "OUTBOUND");
            movement.setString(5, "PENDING");
            movement.setTimestamp(6, Timestamp.from((inbound ? ((InboundDelivery) event).occurredAt()
                    : ((OutboundDelivery) event).occurredAt()).toInstant()));
            movement.setString(7, p.periodId().toString());
            movement.setString(8, p.periodId().toString());
            movement.setString(9, inbound ? ((InboundDelivery) event).product() : ((OutboundDelivery) event).product());
            movement.setString(10, quantity.unit().symbol());
            movement.setBigDecimal(11, quantity.amount());
            movement.setBigDecimal(12, sustainable);
            movement.setBigDecimal(13, quantity.amount().subtract(sustainable));
            movement.setBigDecimal(14, BigDecimal.ZERO);
            movement.setBoolean(15, false);
            movement.setLong(16, p.seq());
            movement.addBatch();
        }

        private void portion(String siteId, String deliveryId, long seq, String kind, Portion p) {
            field(portion, siteId, false);
            field(portion, deliveryId, false);
            field(portion, seq, false);
            field(portion, kind, false);
            field(portion, p.batchId(), false);
            field(portion, p.product(), false);
            field(portion, p.amount().toPlainString(), true);
        }

        private void batch(String siteId, String batchId, String product, eu.massbalance.contracts.Characteristics characteristics,
                           long seq, SiteLedger ledger, List<String> sources) throws SQLException {
            String productName = product;
            if (productName == null && ledger != null) {
                productName = ledger.stock().stream().filter(s -> s.batchId().equals(batchId)).map(SiteLedger.Stock::product)
                        .findFirst().orElse("?");
            }
            batch.setString(1, siteId);
            batch.setString(2, batchId);
            batch.setString(3, productName);
            batch.setString(4, LedgerJson.write(characteristics.identity()));
            batch.setLong(5, seq);
            batch.addBatch();
        }

        private void balance(String siteId, PeriodResult result, long seq) throws SQLException {
            balance.setString(1, siteId);
            balance.setString(2, result.periodId().toString());
            balance.setString(3, result.status().name());
            balance.setLong(4, seq);
            balance.setString(5, LedgerJson.write(result));
            balance.addBatch();
        }

        private void deviation(Deviation d, long raisedSeq, long changedSeq, String what) throws SQLException {
            deviation.setString(1, d.deviationId());
            deviation.setString(2, d.siteId());
            deviation.setString(3, d.periodId().toString());
            deviation.setString(4, d.rule().name());
            deviation.setString(5, d.deviationClass().name());
            deviation.setString(6, d.status().name());
            deviation.setLong(7, raisedSeq < 0 ? changedSeq : raisedSeq);
            deviation.setLong(8, changedSeq);
            deviation.setString(9, LedgerJson.write(d));
            deviation.addBatch();
            metrics.counter("massbalance.deviations", "class", d.deviationClass().name(), "rule", d.rule().name(), "change", what)
                    .increment();
            String notice = LedgerJson.write(Notices.deviation(d, changedSeq));
            outbox(Topics.DEVIATIONS, d.siteId(), "deviation/" + d.deviationId() + "/" + changedSeq, "massbalance.Deviation.v1", notice);
            if (d.deviationClass() == DeviationClass.MAJOR) {
                for (String url : webhookUrls.orElse(List.of())) {
                    webhook.setString(1, url);
                    webhook.setString(2, d.deviationId());
                    webhook.setString(3, notice);
                    webhook.addBatch();
                }
            }
        }

        private void outbox(String topic, String key, String id, String type, String payload) throws SQLException {
            outbox.setString(1, topic);
            outbox.setString(2, key);
            outbox.setString(3, UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString());
            outbox.setString(4, type);
            outbox.setString(5, payload);
            outbox.addBatch();
        }

        /** The site's open-period balances and its stock as they stand after this batch. */
        void views(String siteId, SiteLedger ledger) throws SQLException {
            Optional<YearMonth> active = ledger.earliestOpenPeriod();
            if (active.isEmpty()) {
                return;
            }
            ledger.balance(active.get()).ifPresent(b -> {
                try {
                    balance(siteId, b, ledger.sequence());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (YearMonth pendingPeriod : ledger.pendingDeliveries().keySet()) {
                Optional<PeriodResult> later = ledger.balance(pendingPeriod);
                if (later.isPresent()) {
                    balance(siteId, later.get(), ledger.sequence());
                }
            }
            stockDelete.setString(1, siteId);
            stockDelete.addBatch();
            List<SiteLedger.Stock> stock = ledger.stock();
            for (int i = 0; i < stock.size(); i++) {
                SiteLedger.Stock s = stock.get(i);
                stockInsert.setString(1, siteId);
                stockInsert.setString(2, s.batchId());
                stockInsert.setString(3, s.product());
                stockInsert.setString(4, s.mixture());
                stockInsert.setBigDecimal(5, s.onHand());
                stockInsert.setInt(6, i);
                stockInsert.addBatch();
            }
        }
    }

    /** For tests and operations: the partitions this instance owns and the sites in them. */
    public synchronized Map<Integer, List<String>> owned() {
        Map<Integer, List<String>> owned = new HashMap<>();
        partitions.forEach((p, s) -> owned.put(p, new ArrayList<>(s.sites.keySet())));
        return owned;
    }
}
