package eu.massbalance.projection.store;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.projection.engine.Applied;
import eu.massbalance.projection.engine.Deviation;
import eu.massbalance.projection.engine.Effect;
import eu.massbalance.projection.engine.HashChain;
import eu.massbalance.projection.engine.RefusalCode;
import eu.massbalance.projection.engine.SiteLedger;
import eu.massbalance.projection.store.PartitionStates.PartitionState;
import eu.massbalance.projection.store.PartitionStates.SiteState;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies polled batches of the site logs to the mass-balance engine and writes everything a
 * batch did — journal with sequence numbers and chain hashes, movements and their batch portions,
 * balances, stock, deviations, outbox and webhook rows — in ONE transaction together with the
 * partitions' next offsets. Site state stays in memory for the partitions this instance owns.
 *
 * <p>Batches are pipelined: while one batch is being written by the writer thread, the next is
 * applied in memory. A batch's transaction first locks its partitions' offset rows and checks that
 * they still say where the batch begins; if not (another instance moved a partition on during a
 * rebalance) or if the write fails, the batch is applied again from the journal the slow way: the
 * partitions' states are reloaded, records already stored are skipped. The batch prepared on top of
 * a failed one is redone the same way, so no state that was not stored is ever built upon.
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Inject
    DispatchViews dispatchViews;

    @ConfigProperty(name = "projection.webhooks.urls")
    Optional<List<String>> webhookUrls;

    private Counter applied;

    /** Guards {@link #partitions}; the writer thread takes it only to redo a batch it could not store. */
    private final Object stateLock = new Object();

    /** Owned partitions: the site states they hold and the next offset those states include. */
    private final Map<Integer, PartitionState> partitions = new HashMap<>();

    private final BatchRows.Buffers buffers = new BatchRows.Buffers();

    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "projection-writer"));

    /** The batch being written, if any: set by the consumer thread, awaited by it and at shutdown. */
    private volatile Future<Outcome> inFlight;

    /** Set when a batch could be stored neither as prepared nor when applied again: the instance needs a restart. */
    private volatile Throwable broken;

    /** System.nanoTime() when the consumer thread began applying the current batch, 0 when idle. */
    private volatile long applyingSince;

    /** System.nanoTime() when the writer thread began storing the current batch, 0 when idle. */
    private volatile long writingSince;

    /** Records that name no well-formed site are journaled under this id, which no site can have. */
    static final String UNROUTABLE = "~unroutable";

    private Counter unprocessable;

    private enum Outcome { STORED, REDONE }

    /** The stored offsets no longer say where a prepared batch begins: another instance moved on. */
    private static final class StaleOffsets extends SQLException {
        StaleOffsets(TopicPartition tp, long stored, long expected) {
            super(tp + " is stored at offset " + stored + ", the batch begins at " + expected);
        }
    }

    @PostConstruct
    void meters() {
        applied = metrics.counter("massbalance.projection.events.applied");
        unprocessable = metrics.counter("massbalance.projection.events.unprocessable");
    }

    @PreDestroy
    void stop() {
        try {
            awaitInFlight();
        } catch (RuntimeException e) {
            LOG.warn("The last batch was not stored; it is applied again from the stored offsets on the next start", e);
        }
        writer.shutdown();
    }

    /** How long the batch in hand has been applied or written, if one is. */
    public Optional<java.time.Duration> busyFor() {
        long since = Math.max(applyingSince == 0 ? 0 : System.nanoTime() - applyingSince,
                writingSince == 0 ? 0 : System.nanoTime() - writingSince);
        return since == 0 ? Optional.empty() : Optional.of(java.time.Duration.ofNanos(since));
    }

    /** The next offset stored per partition this instance owns, for the lag. */
    public Map<Integer, Long> nextOffsets() {
        synchronized (stateLock) {
            Map<Integer, Long> next = new HashMap<>();
            partitions.forEach((p, s) -> next.put(p, s.nextOffset));
            return next;
        }
    }

    /** Why the projection stopped storing batches, if it did. */
    public Optional<Throwable> broken() {
        return Optional.ofNullable(broken);
    }

    // ------------------------------------------------------------------ partitions

    /** On assignment: load the partitions' site states and return where each resumes. */
    public Map<TopicPartition, Long> assigned(Collection<TopicPartition> assigned) {
        Map<TopicPartition, Long> resume = new HashMap<>();
        synchronized (stateLock) {
            try (Connection c = dataSource.getConnection()) {
                for (TopicPartition tp : assigned) {
                    long next = PartitionStates.storedOffset(c, tp);
                    PartitionState state = PartitionStates.load(c, tp.partition(), next);
                    partitions.put(tp.partition(), state);
                    resume.put(tp, next);
                    // loaded from what is committed: the dispatch check may answer for these sites from now on
                    dispatchViews.publish(dispatchViews.revision(), state.sites.values().stream()
                            .map(site -> DispatchViews.View.of(site.ledger, site.ledger.stock())).toList());
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not load the state of partitions " + assigned, e);
            }
        }
        return resume;
    }

    public void revoked(Collection<TopicPartition> revoked) {
        forget(revoked);
    }

    /** Drops the partitions' states, and the dispatch views of their sites with them. */
    private void forget(Collection<TopicPartition> stale) {
        synchronized (stateLock) {
            for (TopicPartition tp : stale) {
                PartitionState state = partitions.remove(tp.partition());
                if (state != null) {
                    dispatchViews.revoke(state.sites.keySet());
                }
            }
        }
    }

    // ------------------------------------------------------------------ apply a polled batch

    /** Called with each polled batch, one at a time, in order. */
    public void apply(ConsumerRecords<String, byte[]> records) {
        if (broken != null) {
            throw new IllegalStateException("The projection stopped storing batches", broken);
        }
        if (records.isEmpty()) {
            return;
        }
        applyingSince = System.nanoTime();
        try {
            applyTimed(records);
        } finally {
            applyingSince = 0;
        }
    }

    private void applyTimed(ConsumerRecords<String, byte[]> records) {
        long began = System.nanoTime();
        BatchRows rows = null;
        synchronized (stateLock) {
            if (records.partitions().stream().allMatch(tp -> partitions.containsKey(tp.partition()))) {
                try {
                    rows = prepare(records);
                } catch (RuntimeException e) {
                    // the engine failed on one of these records: the journal decides, a record at a time if need be
                    LOG.warnf("Applying a batch in memory failed (%s); applying it again from the journal", e.getClass().getSimpleName());
                    partitionsOf(records).forEach(partitions::remove);
                }
            }
        }
        long prepared = System.nanoTime();
        Outcome before = awaitInFlight();
        long waited = System.nanoTime();
        if (rows != null && before == Outcome.STORED) {
            BatchRows batch = rows;
            inFlight = writer.submit(() -> storeOrRedo(records, batch));
            if (LOG.isDebugEnabled()) {
                LOG.debugf("batch of %d events: prepared in %d ms, waited %d ms for the batch before", batch.events,
                        (prepared - began) / 1_000_000, (waited - prepared) / 1_000_000);
            }
            return;
        }
        // a partition without state, or the batch before was redone (so this one was prepared on states that
        // included what was not stored): the journal decides
        if (rows != null) {
            rows.release();
        }
        forget(records.partitions());
        applyNow(records);
    }

    /** Waits for the batch being written; fails if it could be stored neither as prepared nor when redone. */
    private Outcome awaitInFlight() {
        if (inFlight == null) {
            return Outcome.STORED;
        }
        Future<Outcome> previous = inFlight;
        inFlight = null;
        try {
            return previous.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("A batch of ledger records could not be stored", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a batch was being stored", e);
        }
    }

    /** On the writer thread: stores a prepared batch, or applies its records again from the journal. */
    private Outcome storeOrRedo(ConsumerRecords<String, byte[]> records, BatchRows rows) {
        writingSince = System.nanoTime();
        try {
            return storeOrRedoTimed(records, rows);
        } finally {
            writingSince = 0;
        }
    }

    private Outcome storeOrRedoTimed(ConsumerRecords<String, byte[]> records, BatchRows rows) {
        try {
            store(rows);
            return Outcome.STORED;
        } catch (SQLException | RuntimeException e) {
            if (e instanceof StaleOffsets) {
                LOG.infof("Redoing a batch from the journal: %s", e.getMessage());
            } else {
                LOG.warnf(e, "Redoing a batch from the journal after a failed write");
            }
            try {
                forget(records.partitions());
                applyNow(records);
                return Outcome.REDONE;
            } catch (RuntimeException again) {
                broken = again;
                throw again;
            }
        }
    }

    /** Writes a prepared batch in one transaction, if its partitions' stored offsets are where it begins. */
    private void store(BatchRows rows) throws SQLException {
        long began = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                asynchronousCommit(c);
                Map<TopicPartition, Long> stored = PartitionStates.lockOffsets(c, rows.offsets.keySet());
                Map<TopicPartition, Long> next = new HashMap<>();
                for (Map.Entry<TopicPartition, BatchRows.OffsetRange> e : rows.offsets.entrySet()) {
                    long at = stored.get(e.getKey());
                    if (at != e.getValue().from()) {
                        throw new StaleOffsets(e.getKey(), at, e.getValue().from());
                    }
                    next.put(e.getKey(), e.getValue().next());
                }
                rows.write(c);
                PartitionStates.saveOffsets(c, next);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } finally {
            rows.release();
        }
        stored(rows);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("batch of %d events written and committed in %d ms", rows.events, (System.nanoTime() - began) / 1_000_000);
        }
    }

    /**
     * Applies and stores a batch in one transaction the slow, sure way: the offset rows are locked
     * first, and a partition whose stored offset differs from its state is reloaded from the journal.
     */
    private void applyNow(ConsumerRecords<String, byte[]> records) {
        try {
            applyBatch(records);
        } catch (RuntimeException e) {
            if (Failures.isInfrastructure(e)) {
                throw e;
            }
            LOG.warnf("A batch could not be applied as a whole (%s); applying its records one at a time", Failures.reason(e));
            applyOneByOne(records);
        }
    }

    private void applyBatch(ConsumerRecords<String, byte[]> records) {
        synchronized (stateLock) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    asynchronousCommit(c);
                    Map<TopicPartition, Long> stored = PartitionStates.lockOffsets(c, records.partitions());
                    for (TopicPartition tp : records.partitions()) {
                        PartitionState state = partitions.get(tp.partition());
                        long at = stored.get(tp);
                        if (state == null || state.nextOffset != at) {
                            partitions.put(tp.partition(), PartitionStates.load(c, tp.partition(), at));
                        }
                    }
                    BatchRows rows = prepare(records);
                    Map<TopicPartition, Long> next = new HashMap<>(stored);
                    rows.offsets.forEach((tp, range) -> next.put(tp, range.next()));
                    try {
                        rows.write(c);
                    } finally {
                        rows.release();
                    }
                    PartitionStates.saveOffsets(c, next);
                    c.commit();
                    stored(rows);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    // the in-memory states may be ahead of the database now: forget them, the journal rebuilds them
                    partitionsOf(records).forEach(partitions::remove);
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not store a batch of ledger records", e);
            }
        }
    }

    /**
     * The last resort for a batch that cannot be applied as a whole: each record in a savepoint of
     * one transaction. A record whose rows the store refuses, or on which the engine fails, for a
     * reason that is not the infrastructure's, is rolled back to its savepoint, its site's state is
     * rebuilt from the journal as written so far, and it is journaled as set aside
     * ({@code EVENT_UNPROCESSABLE}, with the reason). A replay meets the same refusal at the
     * same place, and so arrives at the same state.
     */
    private void applyOneByOne(ConsumerRecords<String, byte[]> records) {
        synchronized (stateLock) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                List<BatchRows> written = new ArrayList<>();
                try {
                    asynchronousCommit(c);
                    Map<TopicPartition, Long> stored = PartitionStates.lockOffsets(c, records.partitions());
                    Map<TopicPartition, Long> next = new HashMap<>(stored);
                    for (TopicPartition tp : records.partitions()) {
                        PartitionState state = PartitionStates.load(c, tp.partition(), stored.get(tp));
                        partitions.put(tp.partition(), state);
                        for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                            if (record.offset() < state.nextOffset) {
                                continue;
                            }
                            Savepoint savepoint = c.setSavepoint();
                            BatchRows rows = new BatchRows(webhookUrls.orElse(List.of()), buffers);
                            rows.viewsRevision = dispatchViews.revision();
                            try {
                                Map<String, SiteState> touched = new LinkedHashMap<>();
                                applyRecord(record, state, rows, touched);
                                rows.events++;
                                touched.forEach((siteId, site) -> rows.views(siteId, site.ledger));
                                rows.write(c);
                                c.releaseSavepoint(savepoint);
                                written.add(rows);
                            } catch (SQLException | RuntimeException e) {
                                if (Failures.isInfrastructure(e)) {
                                    throw e;
                                }
                                c.rollback(savepoint);
                                String reason = Failures.reason(e);
                                LOG.warnf(e, "Ledger record %s is set aside as %s: %s", tp + "@" + record.offset(),
                                        RefusalCode.EVENT_UNPROCESSABLE, reason);
                                state = PartitionStates.load(c, tp.partition(), record.offset());
                                partitions.put(tp.partition(), state);
                                BatchRows aside = new BatchRows(webhookUrls.orElse(List.of()), buffers);
                                try {
                                    setAside(record, state, aside, reason);
                                    aside.write(c);
                                } finally {
                                    aside.release();
                                }
                                unprocessable.increment();
                            } finally {
                                rows.release();
                            }
                            state.nextOffset = record.offset() + 1;
                        }
                        next.put(tp, state.nextOffset);
                    }
                    PartitionStates.saveOffsets(c, next);
                    c.commit();
                    written.forEach(this::stored);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    partitionsOf(records).forEach(partitions::remove);
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not store a batch of ledger records", e);
            }
        }
    }

    /** Journals a record without applying it: its place in the site's sequence and chain, and why. */
    private void setAside(ConsumerRecord<String, byte[]> record, PartitionState state, BatchRows rows, String reason) {
        byte[] payload = Utf8.storable(record.value());
        LedgerEvent event = PartitionStates.parse(payload);
        String siteId = siteOf(event, record);
        SiteState site = site(state, siteId, record.partition(), rows);
        Applied result = site.ledger.setAside(event, reason);
        String hash = HexFormat.of().formatHex(site.chain.append(payload));
        rows.journal(siteId, result.seq(), eventId(record), event == null ? "Unreadable" : event.getClass().getSimpleName(),
                record.partition(), record.offset(), record.timestamp(), payload, hash, (Effect.Refused) result.effects().get(0));
        rows.events++;
    }

    /** The site's state in the partition; a site met for the first time starts empty and is placed in the partition. */
    private static SiteState site(PartitionState state, String siteId, int partition, BatchRows rows) {
        SiteState site = state.sites.get(siteId);
        if (site == null) {
            site = new SiteState(new SiteLedger(siteId), new HashChain());
            state.sites.put(siteId, site);
            rows.sitePartition(siteId, partition);
        }
        return site;
    }

    /**
     * The site whose log a record belongs to: the event's site id, else the record key, if either
     * is a well-formed site id; else a site id no site can have, so the record is still journaled.
     */
    private static String siteOf(LedgerEvent event, ConsumerRecord<String, byte[]> record) {
        if (event != null && Bounds.isSiteId(event.siteId())) {
            return event.siteId();
        }
        return Bounds.isSiteId(record.key()) ? record.key() : UNROUTABLE;
    }

    /** The CloudEvent id, as the journal can store it. */
    private static String eventId(ConsumerRecord<String, byte[]> record) {
        String id = header(record, "ce_id");
        if (id == null) {
            return null;
        }
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.identifier("ce_id", id, problems);
        return problems.isEmpty() ? id : "invalid:" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }

    private static void asynchronousCommit(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // safe for a projection: the rows and their offsets commit together, so a commit lost in a
            // crash is simply consumed again from the ledger (which Kafka keeps for ever)
            s.execute("SET LOCAL synchronous_commit = off");
        }
    }

    private void stored(BatchRows rows) {
        applied.increment(rows.events);
        dispatchViews.publish(rows.viewsRevision, rows.dispatchViews);
        for (BatchRows.Noted noted : rows.deviations) {
            Deviation d = noted.deviation();
            metrics.counter("massbalance.deviations", "class", d.deviationClass().name(), "rule", d.rule().name(),
                    "change", noted.change()).increment();
        }
    }

    private static List<Integer> partitionsOf(ConsumerRecords<String, byte[]> records) {
        return records.partitions().stream().map(TopicPartition::partition).toList();
    }

    /** Applies the records to the partitions' states (which must be loaded) and returns what to write. */
    private BatchRows prepare(ConsumerRecords<String, byte[]> records) {
        BatchRows rows = new BatchRows(webhookUrls.orElse(List.of()), buffers);
        rows.viewsRevision = dispatchViews.revision();
        Map<String, SiteState> touched = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            PartitionState state = partitions.get(tp.partition());
            long from = state.nextOffset;
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                if (record.offset() < state.nextOffset) {
                    continue; // applied before: a redelivery after a crash or a rebalance
                }
                applyRecord(record, state, rows, touched);
                state.nextOffset = record.offset() + 1;
                rows.events++;
            }
            rows.offsets.put(tp, new BatchRows.OffsetRange(from, state.nextOffset));
        }
        touched.forEach((siteId, site) -> rows.views(siteId, site.ledger));
        return rows;
    }

    private void applyRecord(ConsumerRecord<String, byte[]> record, PartitionState state, BatchRows rows,
                             Map<String, SiteState> touched) {
        byte[] payload = Utf8.storable(record.value());
        LedgerEvent event = PartitionStates.parse(payload);
        String siteId = siteOf(event, record);
        SiteState site = site(state, siteId, record.partition(), rows);
        touched.putIfAbsent(siteId, site);
        Applied result = site.ledger.apply(event);
        String hash = HexFormat.of().formatHex(site.chain.append(payload));
        Effect.Refused refused = result.refused() ? (Effect.Refused) result.effects().get(0) : null;
        rows.journal(siteId, result.seq(), eventId(record), event == null ? "Unreadable" : event.getClass().getSimpleName(),
                record.partition(), record.offset(), record.timestamp(), payload, hash, refused);
        for (Effect effect : result.effects()) {
            rows.effect(siteId, effect);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** For tests and operations: the partitions this instance owns and the sites in them. */
    public Map<Integer, List<String>> owned() {
        synchronized (stateLock) {
            Map<Integer, List<String>> owned = new HashMap<>();
            partitions.forEach((p, s) -> owned.put(p, new ArrayList<>(s.sites.keySet())));
            return owned;
        }
    }
}
