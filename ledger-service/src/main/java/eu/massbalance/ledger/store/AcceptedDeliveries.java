package eu.massbalance.ledger.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
     * Inserts the rows that are new, shows {@code decide} the row that now holds each delivery id
     * (the new ones as PENDING: not yet in the log), and commits once {@code decide} returns, all in
     * one transaction. {@code decide} appends to Kafka and returns once the broker acknowledged; it
     * must append every new row it is shown, and says which. New rows are written APPENDED at once:
     * no other transaction sees them before this one commits, after the acknowledgement, so they
     * need no second write. A concurrent request for the same delivery waits on the primary key
     * until this transaction commits, then finds the row. If {@code decide} fails, nothing is
     * recorded and a retry appends again. One statement inserts a batch's rows, one more reads the
     * ids that were taken before (none, usually).
     */
    public <T> T claim(List<Row> rows, java.util.function.Function<Map<String, Row>, Decision<T>> decide) {
        if (rows.isEmpty()) {
            return decide.apply(Map.of()).result();
        }
        String siteId = rows.get(0).siteId();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Row> held = new HashMap<>();
                for (String id : insertNew(c, siteId, rows)) {
                    held.put(id, null);
                }
                List<String> takenBefore = new ArrayList<>();
                for (Row row : rows) {
                    if (held.containsKey(row.deliveryId())) {
                        held.put(row.deliveryId(), new Row(siteId, row.deliveryId(), row.eventId(), row.payloadHash(),
                                Status.PENDING, row.direction()));
                    } else {
                        takenBefore.add(row.deliveryId());
                    }
                }
                Set<String> inserted = new HashSet<>(held.keySet());
                if (!takenBefore.isEmpty()) {
                    held.putAll(find(c, siteId, takenBefore));
                }
                Decision<T> decision = decide.apply(held);
                List<String> markAppended = new ArrayList<>();
                for (String id : decision.appended()) {
                    if (!inserted.remove(id)) {
                        markAppended.add(id); // a PENDING row left by an earlier version
                    }
                }
                if (!inserted.isEmpty()) {
                    throw new IllegalStateException("New rows were neither appended nor refused: " + inserted);
                }
                markAppended(c, siteId, markAppended);
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

    /** The ids of {@code rows} this statement inserted (as APPENDED; see {@link #claim}). */
    private static List<String> insertNew(Connection c, String siteId, List<Row> rows) throws SQLException {
        String[] ids = new String[rows.size()];
        String[] events = new String[rows.size()];
        String[] hashes = new String[rows.size()];
        String[] directions = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            ids[i] = row.deliveryId();
            events[i] = row.eventId().toString();
            hashes[i] = row.payloadHash();
            directions[i] = row.direction();
        }
        List<String> inserted = new ArrayList<>(rows.size());
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO accepted_delivery (site_id, delivery_id, event_id, payload_hash, status, direction)"
                        + " SELECT ?, d, e::uuid, h, 'APPENDED', r FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS t (d, e, h, r)"
                        + " ON CONFLICT DO NOTHING RETURNING delivery_id")) {
            insert.setString(1, siteId);
            insert.setArray(2, c.createArrayOf("text", ids));
            insert.setArray(3, c.createArrayOf("text", events));
            insert.setArray(4, c.createArrayOf("text", hashes));
            insert.setArray(5, c.createArrayOf("text", directions));
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
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
