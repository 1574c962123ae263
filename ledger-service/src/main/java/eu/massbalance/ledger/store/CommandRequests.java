package eu.massbalance.ledger.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Commands other than deliveries, once per site, command and key. The primary key decides, across
 * restarts and instances, which request is first; its row commits only after the append.
 */
@ApplicationScoped
public class CommandRequests {

    /** A command as recorded by its first request. */
    public record Request(String siteId, String command, String key, UUID eventId, String payloadHash, String requestedBy,
                          Instant requestedAt) {
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * Records {@code request} unless its key is taken and, if it was recorded now, runs {@code append}
     * while the row is uncommitted: a concurrent request waits on the key until this one commits,
     * then finds the first request and appends nothing. If {@code append} throws, nothing is
     * recorded. Returns the request that holds the key: this one, or the first.
     */
    public Request record(Request request, Consumer<Request> append) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO command_request (site_id, command, command_key,"
                        + " event_id, payload_hash, requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    insert.setString(1, request.siteId());
                    insert.setString(2, request.command());
                    insert.setString(3, request.key());
                    insert.setObject(4, request.eventId());
                    insert.setString(5, request.payloadHash());
                    insert.setString(6, request.requestedBy());
                    insert.setTimestamp(7, Timestamp.from(request.requestedAt()));
                    if (insert.executeUpdate() == 1) {
                        append.accept(request);
                        c.commit();
                        return request;
                    }
                }
                c.rollback();
                return find(c, request.siteId(), request.command(), request.key());
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean exists(String siteId, String command, String key) {
        try (Connection c = dataSource.getConnection()) {
            return find(c, siteId, command, key) != null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Request find(Connection c, String siteId, String command, String key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT event_id, payload_hash, requested_by, requested_at"
                + " FROM command_request WHERE site_id = ? AND command = ? AND command_key = ?")) {
            select.setString(1, siteId);
            select.setString(2, command);
            select.setString(3, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Request(siteId, command, key, rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getTimestamp(4).toInstant()) : null;
            }
        }
    }
}
