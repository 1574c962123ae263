package eu.massbalance.ledger.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The deliveries accepted per site, by the ERP's delivery id. The primary key decides, across
 * restarts and across several ledger-service instances, which request is first.
 */
@ApplicationScoped
public class AcceptedDeliveries {

    public enum Status { PENDING, APPENDED }

    public record Row(String siteId, String deliveryId, UUID eventId, String payloadHash, Status status, String direction) {
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Inserts the rows that are new, shows {@code decide} the row that now holds each delivery id,
     * and marks the ids it returns as APPENDED, all in one transaction. {@code decide} appends to
     * Kafka and returns once the broker acknowledged: a concurrent request for the same delivery
     * waits on the primary key until this transaction commits, then finds the row APPENDED. If
     * {@code decide} fails, nothing is recorded and a retry appends again.
     */
    public <T> T claim(List<Row> rows, java.util.function.Function<Map<String, Row>, Decision<T>> decide) {
        if (rows.isEmpty()) {
            return decide.apply(Map.of()).result();
        }
        String siteId = rows.get(0).siteId();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO accepted_delivery (site_id, delivery_id, event_id, payload_hash, status, direction)"
                                + " VALUES (?, ?, ?, ?, 'PENDING', ?) ON CONFLICT DO NOTHING")) {
                    for (Row row : rows) {
                        insert.setString(1, row.siteId());
                        insert.setString(2, row.deliveryId());
                        insert.setObject(3, row.eventId());
                        insert.setString(4, row.payloadHash());
                        insert.setString(5, row.direction());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                Decision<T> decision = decide.apply(find(c, siteId, rows.stream().map(Row::deliveryId).toList()));
                markAppended(c, siteId, decision.appended());
                c.commit();
                return decision.result();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record accepted deliveries", e);
        }
    }

    /** What the caller appended, and what it wants to return. */
    public record Decision<T>(Collection<String> appended, T result) {
    }

    public Optional<Row> find(String siteId, String deliveryId) {
        try (Connection c = dataSource.getConnection()) {
            return Optional.ofNullable(find(c, siteId, List.of(deliveryId)).get(deliveryId));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Row> find(Connection c, String siteId, List<String> deliveryIds) throws SQLException {
        Map<String, Row> found = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT delivery_id, event_id, payload_hash, status, direction FROM accepted_delivery"
                        + " WHERE site_id = ? AND delivery_id = ANY (?)")) {
            select.setString(1, siteId);
            select.setArray(2, c.createArrayOf("text", deliveryIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new Row(siteId, rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                            Status.valueOf(rs.getString(4)), rs.getString(5)));
                }
            }
        }
        return found;
    }

    private static void markAppended(Connection c, String siteId, Collection<String> deliveryIds) throws SQLException {
        if (deliveryIds.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE accepted_delivery SET status = 'APPENDED' WHERE site_id = ? AND delivery_id = ANY (?)")) {
            update.setString(1, siteId);
            update.setArray(2, c.createArrayOf("text", deliveryIds.toArray()));
            update.executeUpdate();
        }
    }

    public boolean anyFor(String siteId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT 1 FROM accepted_delivery WHERE site_id = ? LIMIT 1")) {
            select.setString(1, siteId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
