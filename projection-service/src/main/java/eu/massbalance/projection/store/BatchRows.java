package eu.massbalance.projection.store;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.output.TransferDispatched;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.RefusalNotice;
import eu.massbalance.projection.engine.Deviation;
import eu.massbalance.projection.engine.Effect;
import eu.massbalance.projection.engine.PeriodResult;
import eu.massbalance.projection.engine.RefusalCode;
import eu.massbalance.projection.engine.Portion;
import eu.massbalance.projection.engine.SiteLedger;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything one polled batch writes, as values: COPY text for the rows that are only ever
 * appended (journal, new movements, portions), parameter rows for the rest. It holds no reference
 * to the engine's state, so it can be written while the next batch is being applied.
 */
final class BatchRows {

    private static final String MOVEMENT_COLUMNS = "site_id, delivery_id, seq, direction, status, occurred_at, period_id,"
            + " dated_period, product, unit, quantity, sustainable, non_sustainable, open_claim, late, event_seq";

    final CopyText journal;
    /** The dispatch check's views of the sites this batch touched, published once it is committed. */
    final List<DispatchViews.View> dispatchViews = new ArrayList<>();
    /** {@link DispatchViews#revision()} when this batch was prepared. */
    long viewsRevision;
    final CopyText movements;
    final CopyText portions;

    // in the order they run: batches before what refers to them, movement rows before their updates,
    // stock deletes before inserts
    private final Batched siteOrganisation = Batched.upsertByFirst("INSERT INTO site_organisation (site_id, organisation_id) VALUES (?, ?)"
            + " ON CONFLICT (site_id) DO UPDATE SET organisation_id = excluded.organisation_id");
    private final Batched siteSetup = Batched.upsertByFirst("INSERT INTO site_setup (site_id, seq, configuration) VALUES (?, ?, ?::jsonb)"
            + " ON CONFLICT (site_id) DO UPDATE SET seq = excluded.seq, configuration = excluded.configuration");
    private final Batched sitePartition = Batched.upsertByFirst("INSERT INTO site_partition (site_id, kafka_partition) VALUES (?, ?)"
            + " ON CONFLICT (site_id) DO UPDATE SET kafka_partition = excluded.kafka_partition");
    private final Batched batch = new Batched("INSERT INTO batch (site_id, batch_id, product, characteristics, first_seq)"
            + " VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING");
    private final Batched movementUpsert = new Batched("INSERT INTO movement (" + MOVEMENT_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (site_id, delivery_id) DO UPDATE SET seq = excluded.seq, status = excluded.status,"
            + " period_id = excluded.period_id, unit = excluded.unit, quantity = excluded.quantity,"
            + " sustainable = excluded.sustainable, non_sustainable = excluded.non_sustainable,"
            + " open_claim = excluded.open_claim, late = excluded.late");
    /** the receipt of a transfer turns its in-transit row into the destination's inbound, dated when it arrived. */
    private final Batched movementReceipt = new Batched("INSERT INTO movement (" + MOVEMENT_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (site_id, delivery_id) DO UPDATE SET seq = excluded.seq, status = excluded.status,"
            + " occurred_at = excluded.occurred_at, period_id = excluded.period_id, dated_period = excluded.dated_period,"
            + " unit = excluded.unit, quantity = excluded.quantity, sustainable = excluded.sustainable,"
            + " non_sustainable = excluded.non_sustainable, open_claim = excluded.open_claim, late = excluded.late");
    private final Batched movementOfferedAgain = new Batched("INSERT INTO movement (" + MOVEMENT_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (site_id, delivery_id) DO UPDATE SET seq = excluded.seq, direction = excluded.direction,"
            + " status = excluded.status, occurred_at = excluded.occurred_at, period_id = excluded.period_id,"
            + " dated_period = excluded.dated_period, product = excluded.product, unit = excluded.unit,"
            + " quantity = excluded.quantity, sustainable = excluded.sustainable, non_sustainable = excluded.non_sustainable,"
            + " open_claim = excluded.open_claim, late = excluded.late, event_seq = excluded.event_seq");
    private final Batched openClaim = new Batched("UPDATE movement SET open_claim = ? WHERE site_id = ? AND delivery_id = ?");
    private final Batched movementStatus = new Batched(
            "UPDATE movement SET status = ?, open_claim = 0 WHERE site_id = ? AND delivery_id = ?");
    private final Batched uncovered = new Batched(
            "UPDATE movement SET uncovered = uncovered + ?, open_claim = 0 WHERE site_id = ? AND delivery_id = ?");
    // rare and only ever appended: COPY with small buffers of their own
    private final CopyText refusals = new CopyText("refusal (site_id, seq, ordinal, kind, event_type, reference, batch_id,"
            + " code, message, period_id)", 256);
    private final CopyText batchChanges = new CopyText("batch_change (site_id, seq, ordinal, batch_id, kind, other_batch_id,"
            + " amount, note, other_site_id)", 256);
    private final Batched balance = new Batched("INSERT INTO period_balance (site_id, period_id, status, seq, balance)"
            + " VALUES (?, ?, ?, ?, ?::jsonb) ON CONFLICT (site_id, period_id) DO UPDATE SET status = excluded.status,"
            + " seq = excluded.seq, balance = excluded.balance WHERE period_balance.status <> 'CLOSED'");
    private final Batched stockDelete = new Batched("DELETE FROM stock WHERE site_id = ?");
    private final Batched stockInsert = new Batched("INSERT INTO stock (site_id, batch_id, product, mixture, on_hand, position)"
            + " VALUES (?, ?, ?, ?, ?, ?)");
    private final Batched deviation = new Batched("INSERT INTO deviation (deviation_id, site_id, period_id, rule, class, status,"
            + " raised_seq, changed_seq, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (deviation_id)"
            + " DO UPDATE SET class = excluded.class, status = excluded.status, changed_seq = excluded.changed_seq,"
            + " body = excluded.body");
    private final Batched outbox = new Batched(
            "INSERT INTO outbox (topic, message_key, ce_id, ce_type, payload) VALUES (?, ?, ?, ?, ?)");
    private final Batched webhook = new Batched("INSERT INTO webhook_delivery (url, deviation_id, payload) VALUES (?, ?, ?)");
    private final Batched transferDispatched = new Batched("INSERT INTO transfer (source_site_id, delivery_id,"
            + " destination_site_id, product, unit, quantity, sustainable, dispatched_at, dispatched_seq, status)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'DISPATCHED') ON CONFLICT (source_site_id, delivery_id) DO NOTHING");
    private final Batched transferInTransit = new Batched("UPDATE transfer SET status = 'IN_TRANSIT', in_transit_seq = ?"
            + " WHERE source_site_id = ? AND delivery_id = ? AND status = 'DISPATCHED'");
    private final Batched transferReceived = new Batched("UPDATE transfer SET status = 'RECEIVED', received_unit = ?,"
            + " received_quantity = ?, sustainable_lost = ?, received_seq = ? WHERE source_site_id = ? AND delivery_id = ?");
    private final List<Batched> inOrder = List.of(siteOrganisation, siteSetup, sitePartition, batch, movementOfferedAgain, movementReceipt,
            movementUpsert, openClaim, movementStatus,
            uncovered, balance,
            stockDelete, stockInsert, deviation, transferDispatched, transferInTransit, transferReceived, outbox, webhook);

    /** The offsets a batch applies in one partition: from its first record to the offset after its last. */
    record OffsetRange(long from, long next) {
    }

    /** Per partition, the offsets this batch applies. */
    final Map<TopicPartition, OffsetRange> offsets = new HashMap<>();
    /** Deviations raised or changed, for the metrics once the batch is stored. */
    final List<Noted> deviations = new ArrayList<>();

    record Noted(Deviation deviation, String change) {
    }
    long events;

    private final List<String> webhookUrls;
    private final Buffers buffers;
    private String ordinalSite;
    private long ordinalSeq = -1;
    private int portionOrdinal;
    private int refusalOrdinal;
    private int changeOrdinal;

    /** The COPY buffers come from {@code buffers} and go back to it with {@link #release()}. */
    BatchRows(List<String> webhookUrls, Buffers buffers) {
        this.webhookUrls = webhookUrls;
        this.buffers = buffers;
        journal = new CopyText("journal (site_id, seq, event_id, event_type, kafka_partition, kafka_offset, recorded_at, payload,"
                + " hash, refusal_code, refusal_message)", buffers.take());
        movements = new CopyText("movement (" + MOVEMENT_COLUMNS + ")", buffers.take());
        portions = new CopyText("portion (site_id, delivery_id, seq, ordinal, kind, batch_id, product, amount)", buffers.take());
    }

    /** Hands the COPY buffers back; the rows must not be used afterwards. */
    void release() {
        buffers.give(journal.buffer());
        buffers.give(movements.buffer());
        buffers.give(portions.buffer());
    }

    /**
     * A few COPY buffers kept for the next batches: they grow to a batch's size once instead of
     * being allocated (and collected) for every batch.
     */
    static final class Buffers {
        private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();

        byte[] take() {
            byte[] buffer = spare.poll();
            return buffer != null ? buffer : new byte[1 << 16];
        }

        void give(byte[] buffer) {
            if (spare.size() < 12 && buffer.length <= 1 << 24) {
                spare.offer(buffer);
            }
        }
    }

    /** Writes the batch; the caller owns the transaction. */
    void write(Connection connection) throws SQLException {
        journal.copyInto(connection);
        movements.copyInto(connection);
        portions.copyInto(connection);
        refusals.copyInto(connection);
        batchChanges.copyInto(connection);
        for (Batched statement : inOrder) {
            statement.execute(connection);
        }
    }

    // ------------------------------------------------------------------ rows

    void sitePartition(String siteId, int partition) {
        sitePartition.add(siteId, partition);
    }

    void journal(String siteId, long seq, String eventId, String type, int partition, long offset, long timestamp,
                 byte[] payload, String hash, Effect.Refused refused) {
        journal.field(siteId).field(seq).field(eventId).field(type).field((long) partition).field(offset)
                .field(timestamp > 0 ? Instant.ofEpochMilli(timestamp) : null).utf8(payload).field(hash)
                .field(refused == null ? null : refused.code().name()).field(refused == null ? null : refused.message())
                .endRow();
        if (refused != null) {
            refusal(siteId, seq, "EVENT", type, refused.reference(), null, refused.code(), refused.message(), refused.periodId());
        }
    }

    /** One effect, written as it says. */
    void effect(String siteId, Effect effect) {
        if (effect instanceof Effect.Configured c) {
            if (c.configuration().organisationId() != null) {
                siteOrganisation.add(siteId, c.configuration().organisationId());
            }
            siteSetup.add(siteId, c.seq(), LedgerJson.write(c.configuration()));
        } else if (effect instanceof Effect.Booked b) {
            booked(siteId, b);
        } else if (effect instanceof Effect.Pending p) {
            pending(siteId, p);
        } else if (effect instanceof Effect.ClaimCovered covered) {
            for (Portion portion : covered.portions()) {
                portion(siteId, covered.deliveryId(), covered.seq(), "DRAWN", portion);
            }
            openClaim.add(covered.stillOpen(), siteId, covered.deliveryId());
        } else if (effect instanceof Effect.Uncovered u) {
            if (u.batchId() != null) {
                portions.field(siteId).field(u.deliveryId()).field(u.seq()).field((long) nextOrdinal(siteId, u.seq()))
                        .field("UNCOVERED").field(u.batchId()).field(u.product()).field(u.amount().toPlainString()).endRow();
            }
            uncovered.add(u.amount(), siteId, u.deliveryId());
        } else if (effect instanceof Effect.Reversed r) {
            for (Portion portion : r.returned()) {
                portion(siteId, r.deliveryId(), r.seq(), "RETURNED", portion);
            }
            movementStatus.add("REVERSED", siteId, r.deliveryId());
        } else if (effect instanceof Effect.ReleaseRefused refused) {
            movementStatus.add("REFUSED", siteId, refused.deliveryId());
            refusal(siteId, refused.seq(), "RELEASE", "PendingDelivery", refused.deliveryId(), null, refused.code(),
                    refused.message(), refused.periodId());
        } else if (effect instanceof Effect.BatchRefused refused) {
            refusal(siteId, refused.seq(), "BATCH", "InboundDelivery", refused.deliveryId(), refused.batchId(),
                    refused.code(), refused.message(), refused.periodId());
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
            batch(siteId, merged.targetBatchId(), merged.product(), merged.characteristics(), merged.seq());
            for (Portion source : merged.sources()) {
                batchChange(siteId, merged.seq(), source.batchId(), "MERGED_INTO", merged.targetBatchId(), source.amount(), null);
                batchChange(siteId, merged.seq(), merged.targetBatchId(), "MERGED_FROM", source.batchId(), source.amount(), null);
            }
        } else if (effect instanceof Effect.TransferDispatched t) {
            BigDecimal sustainable = t.portions().stream().map(Portion::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            transferDispatched.add(siteId, t.deliveryId(), t.destinationSiteId(), t.product(), t.unit().symbol(), t.quantity(),
                    sustainable, java.sql.Timestamp.from(t.dispatchedAt().toInstant()), t.seq());
            for (Portion p : t.portions()) {
                batchChange(siteId, t.seq(), p.batchId(), "TRANSFERRED_TO", p.batchId(), p.amount(), "transfer " + t.deliveryId(),
                        t.destinationSiteId());
            }
            List<BatchLine> batches = t.portions().stream()
                    .map(p -> new BatchLine(p.batchId(), p.amount(), p.characteristics())).toList();
            outbox(Topics.TRANSFERS, t.destinationSiteId(), "transfer/" + siteId + "/" + t.deliveryId(),
                    "massbalance.TransferDispatched.v1", LedgerJson.write(new TransferDispatched(siteId, t.deliveryId(), t.seq(),
                            t.destinationSiteId(), t.dispatchedAt(), t.product(), new Quantity(t.quantity(), t.unit()), batches)));
        } else if (effect instanceof Effect.InTransit t) {
            Object[] row = {siteId, t.transferId(), t.seq(), "INBOUND", "IN_TRANSIT", t.dispatchedAt(), t.periodId(),
                t.periodId(), t.product(), t.unit().symbol(), t.quantity(), t.sustainable(),
                t.quantity().subtract(t.sustainable()), BigDecimal.ZERO, false, t.seq()};
            movement(row, Write.INSERT);
            transferInTransit.add(t.seq(), t.sourceSiteId(), sourceDeliveryId(t.transferId(), t.sourceSiteId()));
        } else if (effect instanceof Effect.TransferCompleted t) {
            transferReceived.add(t.unit().symbol(), t.received(), t.sustainableLost(), t.seq(), t.sourceSiteId(),
                    sourceDeliveryId(t.transferId(), t.sourceSiteId()));
            for (Portion p : t.portions()) {
                batchChange(siteId, t.seq(), p.batchId(), "TRANSFERRED_FROM", p.batchId(), p.amount(), "transfer " + t.transferId(),
                        t.sourceSiteId());
            }
        } else if (effect instanceof Effect.Processed processed) {
            for (Effect.ProcessedLink link : processed.links()) {
                batchChange(siteId, processed.seq(), link.inputBatchId(), "PROCESSED_INTO", link.outputBatchId(),
                        link.inputAmount(), "run " + processed.runId());
                batchChange(siteId, processed.seq(), link.outputBatchId(), "PROCESSED_FROM", link.inputBatchId(),
                        link.outputAmount(), "run " + processed.runId());
            }
        } else if (effect instanceof Effect.Disqualified d) {
            batchChange(siteId, d.seq(), d.batchId(), "DISQUALIFIED", null, d.amount(),
                    "certificate " + d.certificateId() + " of supplier " + d.supplierId() + " revoked (R-16)");
        }
    }

    /** The delivery id at the source of a transfer id {@code <source>:<deliveryId>}. */
    private static String sourceDeliveryId(String transferId, String sourceSiteId) {
        return transferId.substring(sourceSiteId.length() + 1);
    }

    /** How a delivery's movement row is written, from where its booking came from. */
    private enum Write {
        /** its first appearance on the log: no row can exist, COPY it */
        INSERT,
        /** offered again after a refusal: a row may exist from before, replace it */
        REPLACE,
        /** booked by another event (a pending delivery whose period came): the row exists, keep what it says of its event */
        RELEASE,
        /** a transfer received: its in-transit row exists and becomes the inbound, dated when it arrived */
        RECEIPT
    }

    private static Write write(Effect.Origin origin) {
        return switch (origin) {
            case RECORDED -> Write.INSERT;
            case RECORDED_AGAIN -> Write.REPLACE;
            case RELEASED -> Write.RELEASE;
            case RECEIVED -> Write.RECEIPT;
        };
    }

    private void booked(String siteId, Effect.Booked b) {
        Object[] row = {siteId, b.deliveryId(), b.seq(), b.direction().name(), "BOOKED", b.occurredAt(), b.periodId(),
            b.datedPeriod(), b.product(), b.unit().symbol(), b.quantity(), b.sustainable(), b.nonSustainable(), b.open(),
            b.late(), b.seq()};
        movement(row, write(b.origin()));
        String kind = b.direction() == Effect.Direction.INBOUND ? "RECEIVED" : "DRAWN";
        for (Portion p : b.portions()) {
            if (b.direction() == Effect.Direction.INBOUND) {
                batch(siteId, p.batchId(), p.product(), p.characteristics(), b.seq());
            }
            portion(siteId, b.deliveryId(), b.seq(), kind, p);
        }
    }

    private void pending(String siteId, Effect.Pending p) {
        Object[] row = {siteId, p.deliveryId(), p.seq(), p.direction().name(), "PENDING", p.occurredAt(), p.periodId(),
            p.periodId(), p.product(), p.unit().symbol(), p.quantity(), p.sustainable(), p.nonSustainable(), BigDecimal.ZERO,
            false, p.seq()};
        movement(row, write(p.origin()));
    }

    /**
     * A new row goes in with COPY; a delivery offered again replaces its old row; a pending delivery
     * now booked updates its row and keeps the event_seq of its own event.
     */
    private void movement(Object[] row, Write write) {
        if (write == Write.INSERT) {
            for (Object value : row) {
                movements.field(value instanceof BigDecimal d ? d.toPlainString() : value);
            }
            movements.endRow();
        } else {
            Object[] params = row.clone();
            params[5] = Timestamp.from(((java.time.OffsetDateTime) row[5]).toInstant());
            params[6] = row[6].toString();
            params[7] = row[7].toString();
            (write == Write.REPLACE ? movementOfferedAgain : write == Write.RECEIPT ? movementReceipt : movementUpsert).add(params);
        }
    }

    private void portion(String siteId, String deliveryId, long seq, String kind, Portion p) {
        portions.field(siteId).field(deliveryId).field(seq).field((long) nextOrdinal(siteId, seq)).field(kind)
                .field(p.batchId()).field(p.product()).field(p.amount().toPlainString()).endRow();
    }

    /** Rows an event writes to one table are numbered from 0 within the event, per table. */
    private void sameEvent(String siteId, long seq) {
        if (seq != ordinalSeq || !siteId.equals(ordinalSite)) {
            ordinalSite = siteId;
            ordinalSeq = seq;
            portionOrdinal = 0;
            refusalOrdinal = 0;
            changeOrdinal = 0;
        }
    }

    private int nextOrdinal(String siteId, long seq) {
        sameEvent(siteId, seq);
        return portionOrdinal++;
    }

    /**
     * A refusal, stored, and told: on the organisation's outcome topic (through the outbox; the
     * publisher finds the site's organisation) and to the configured webhooks.
     */
    private void refusal(String siteId, long seq, String kind, String eventType, String reference, String batchId, RefusalCode code,
                         String message, YearMonth periodId) {
        sameEvent(siteId, seq);
        int ordinal = refusalOrdinal++;
        refusals.field(siteId).field(seq).field((long) ordinal).field(kind).field(eventType).field(reference)
                .field(batchId).field(code.name()).field(message).field(periodId == null ? null : periodId.toString()).endRow();
        String notice = LedgerJson.write(new RefusalNotice(siteId, seq, ordinal, kind, eventType, reference, batchId, periodId,
                code.name(), code.rule(), message));
        String id = "refusal/" + siteId + "/" + seq + "/" + ordinal;
        outbox(Topics.OUTCOMES_PREFIX, siteId, id, "massbalance.Refusal.v1", notice);
        for (String url : webhookUrls) {
            webhook.add(url, id, notice);
        }
    }

    private void batchChange(String siteId, long seq, String batchId, String kind, String other, BigDecimal amount, String note) {
        batchChange(siteId, seq, batchId, kind, other, amount, note, null);
    }

    private void batchChange(String siteId, long seq, String batchId, String kind, String other, BigDecimal amount, String note,
                             String otherSite) {
        sameEvent(siteId, seq);
        batchChanges.field(siteId).field(seq).field((long) changeOrdinal++).field(batchId).field(kind).field(other)
                .field(amount.toPlainString()).field(note).field(otherSite).endRow();
    }

    private void batch(String siteId, String batchId, String product, Characteristics characteristics, long seq) {
        batch.add(siteId, batchId, product, LedgerJson.write(characteristics.identity()), seq);
    }

    private void balance(String siteId, PeriodResult result, long seq) {
        balance.add(siteId, result.periodId().toString(), result.status().name(), seq, LedgerJson.write(result));
    }

    private void deviation(Deviation d, long raisedSeq, long changedSeq, String change) {
        deviation.add(d.deviationId(), d.siteId(), d.periodId().toString(), d.rule().name(), d.deviationClass().name(),
                d.status().name(), raisedSeq < 0 ? changedSeq : raisedSeq, changedSeq, LedgerJson.write(d));
        deviations.add(new Noted(d, change));
        String notice = LedgerJson.write(Notices.deviation(d, changedSeq));
        outbox(Topics.DEVIATIONS, d.siteId(), "deviation/" + d.deviationId() + "/" + changedSeq, "massbalance.Deviation.v1", notice);
        if (d.deviationClass() == DeviationClass.MAJOR) {
            for (String url : webhookUrls) {
                webhook.add(url, d.deviationId(), notice);
            }
        }
    }

    private void outbox(String topic, String key, String id, String type, String payload) {
        outbox.add(topic, key, UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString(), type, payload);
    }

    /** The site's open-period balances and its stock as they stand after this batch. */
    void views(String siteId, SiteLedger ledger) {
        List<SiteLedger.Stock> stock = ledger.stock();
        dispatchViews.add(DispatchViews.View.of(ledger, stock));
        Optional<YearMonth> active = ledger.earliestOpenPeriod();
        if (active.isEmpty()) {
            return;
        }
        ledger.balance(active.get()).ifPresent(b -> balance(siteId, b, ledger.sequence()));
        for (YearMonth pendingPeriod : ledger.pendingDeliveries().keySet()) {
            ledger.balance(pendingPeriod).ifPresent(b -> balance(siteId, b, ledger.sequence()));
        }
        stockDelete.add(siteId);
        for (int i = 0; i < stock.size(); i++) {
            SiteLedger.Stock s = stock.get(i);
            stockInsert.add(siteId, s.batchId(), s.product(), s.mixture(), s.onHand(), i);
        }
    }

    /**
     * One statement and the parameter rows it runs with, sent as one JDBC batch. An upsert keyed by
     * its first parameter keeps the last row per key: the driver sends a batch as one multi-row
     * INSERT, in which ON CONFLICT may not meet the same row twice.
     */
    private static final class Batched {
        private final String sql;
        private final List<Object[]> rows = new ArrayList<>();
        private final java.util.Map<Object, Object[]> lastByKey;

        Batched(String sql) {
            this(sql, false);
        }

        Batched(String sql, boolean lastWinsByFirstParameter) {
            this.sql = sql;
            this.lastByKey = lastWinsByFirstParameter ? new java.util.LinkedHashMap<>() : null;
        }

        static Batched upsertByFirst(String sql) {
            return new Batched(sql, true);
        }

        void add(Object... params) {
            if (lastByKey != null) {
                lastByKey.remove(params[0]);
                lastByKey.put(params[0], params);
            } else {
                rows.add(params);
            }
        }

        void execute(Connection connection) throws SQLException {
            if (lastByKey != null) {
                rows.addAll(lastByKey.values());
                lastByKey.clear();
            }
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        statement.setObject(i + 1, row[i]);
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    }
}
