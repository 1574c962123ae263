package eu.massbalance.projection.store;

import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.json.LedgerJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes a polled batch of ledger records and the partitions' next offsets in one
 * transaction, with JDBC batching. Records below a partition's stored offset were applied
 * before (a redelivery after a crash or rebalance) and are skipped.
 */
@ApplicationScoped
public class ProjectionStore {

    @Inject
    AgroalDataSource dataSource;

    public void apply(ConsumerRecords<String, String> records) {
        if (records.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<TopicPartition, Long> next = lockOffsets(c, records.partitions());
                try (PreparedStatement journal = c.prepareStatement(
                        "INSERT INTO journal (site_id, seq, event_type, kafka_partition, kafka_offset, payload)"
                                + " VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM journal WHERE site_id = ?), ?, ?, ?, ?::jsonb)");
                     PreparedStatement movement = c.prepareStatement(
                             "INSERT INTO movement (site_id, delivery_id, direction, occurred_at, product, amount, unit, sustainable_amount)"
                                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (TopicPartition partition : records.partitions()) {
                        for (ConsumerRecord<String, String> record : records.records(partition)) {
                            if (record.offset() < next.get(partition)) {
                                continue;
                            }
                            LedgerEvent event = LedgerJson.readEvent(record.value());
                            journal.setString(1, event.siteId());
                            journal.setString(2, event.siteId());
                            journal.setString(3, event.eventType());
                            journal.setInt(4, record.partition());
                            journal.setLong(5, record.offset());
                            journal.setString(6, record.value());
                            journal.executeUpdate();
                            addMovement(movement, event);
                            next.put(partition, record.offset() + 1);
                        }
                    }
                    movement.executeBatch();
                }
                saveOffsets(c, next);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store a batch of ledger records", e);
        }
    }

    private static void addMovement(PreparedStatement movement, LedgerEvent event) throws SQLException {
        if (event instanceof InboundDelivery in) {
            addMovement(movement, in.siteId(), in.deliveryId(), "INBOUND", in.occurredAt(), in.product(),
                    in.quantity().amount(), in.quantity().unit().symbol(), in.sustainable().stream()
                            .map(l -> l.amount()).reduce(BigDecimal.ZERO, BigDecimal::add));
        } else if (event instanceof OutboundDelivery out) {
            addMovement(movement, out.siteId(), out.deliveryId(), "OUTBOUND", out.occurredAt(), out.product(),
                    out.quantity().amount(), out.quantity().unit().symbol(), out.sustainable().stream()
                            .map(l -> l.amount()).reduce(BigDecimal.ZERO, BigDecimal::add));
        }
    }

    private static void addMovement(PreparedStatement movement, String siteId, String deliveryId, String direction,
                                    java.time.OffsetDateTime occurredAt, String product, BigDecimal amount, String unit,
                                    BigDecimal sustainable) throws SQLException {
        movement.setString(1, siteId);
        movement.setString(2, deliveryId);
        movement.setString(3, direction);
        movement.setTimestamp(4, Timestamp.from(occurredAt.toInstant()));
        movement.setString(5, product);
        movement.setBigDecimal(6, amount);
        movement.setString(7, unit);
        movement.setBigDecimal(8, sustainable);
        movement.addBatch();
    }

    /** Locks the partitions' offset rows, so two instances in a rebalance never apply the same batch. */
    private static Map<TopicPartition, Long> lockOffsets(Connection c, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> next = new HashMap<>();
        try (PreparedStatement ensure = c.prepareStatement(
                "INSERT INTO consumer_offset (topic, kafka_partition, next_offset) VALUES (?, ?, 0) ON CONFLICT DO NOTHING");
             PreparedStatement lock = c.prepareStatement(
                     "SELECT next_offset FROM consumer_offset WHERE topic = ? AND kafka_partition = ? FOR UPDATE")) {
            for (TopicPartition partition : partitions) {
                ensure.setString(1, partition.topic());
                ensure.setInt(2, partition.partition());
                ensure.executeUpdate();
                lock.setString(1, partition.topic());
                lock.setInt(2, partition.partition());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    next.put(partition, rs.getLong(1));
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

    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT next_offset FROM consumer_offset WHERE topic = ? AND kafka_partition = ?")) {
            for (TopicPartition partition : partitions) {
                select.setString(1, partition.topic());
                select.setInt(2, partition.partition());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        stored.put(partition, rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read stored offsets", e);
        }
        return stored;
    }

    public void forget(Collection<TopicPartition> partitions) {
        // no in-memory state per partition yet
    }

    public record MovementRow(String deliveryId, String direction, String occurredAt, String product,
                              BigDecimal amount, String unit, BigDecimal sustainable) {
    }

    public List<MovementRow> movements(String siteId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT delivery_id, direction, occurred_at, product, amount, unit, sustainable_amount"
                             + " FROM movement WHERE site_id = ? ORDER BY id")) {
            select.setString(1, siteId);
            try (ResultSet rs = select.executeQuery()) {
                java.util.ArrayList<MovementRow> rows = new java.util.ArrayList<>();
                while (rs.next()) {
                    rows.add(new MovementRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant().toString(),
                            rs.getString(4), rs.getBigDecimal(5), rs.getString(6), rs.getBigDecimal(7)));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
