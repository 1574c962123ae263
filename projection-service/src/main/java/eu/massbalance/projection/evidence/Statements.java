package eu.massbalance.projection.evidence;

import eu.massbalance.contracts.json.LedgerJson;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Each period close yields one signed statement, made shortly after the close (every few seconds
 * the closed periods without one are signed) and kept as made, so that every download is the same
 * bytes. Any instance may make one; the first stored is the statement ({@code ON CONFLICT DO NOTHING}).
 */
@ApplicationScoped
public class Statements {

    private static final Logger LOG = Logger.getLogger(Statements.class);

    @Inject
    StatementKey key;

    @Inject
    AgroalDataSource dataSource;

    /** Signs what closed since the last round. */
    @Scheduled(every = "${massbalance.statement.issue-every:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void issue() {
        if (!key.configured()) {
            return;
        }
        try {
            int made = 0;
            List<String[]> unsigned = new ArrayList<>();
            try (Connection c = dataSource.getConnection();
                 PreparedStatement select = c.prepareStatement("SELECT b.site_id, b.period_id FROM period_balance b"
                         + " LEFT JOIN period_statement s ON s.site_id = b.site_id AND s.period_id = b.period_id"
                         + " WHERE b.status = 'CLOSED' AND s.site_id IS NULL ORDER BY b.site_id, b.period_id LIMIT 1000")) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        unsigned.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            for (String[] period : unsigned) {
                made += statement(period[0], period[1]).isPresent() ? 1 : 0;
            }
            if (made > 0) {
                LOG.infof("statements: %d closed periods signed", made);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("statements: signing the closed periods failed, retried next round: %s", e.toString());
        }
    }

    /**
     * The period's statement: the stored one, or, for a closed period that has none yet, one made and
     * stored now. Empty when the period is not closed (or unknown).
     */
    public Optional<String> statement(String siteId, String periodId) {
        try (Connection c = dataSource.getConnection()) {
            Optional<String> stored = stored(c, siteId, periodId);
            if (stored.isPresent()) {
                return stored;
            }
            String jws;
            try (PreparedStatement select = c.prepareStatement(StatementResource.CLOSE
                    + " WHERE b.site_id = ? AND b.period_id = ? AND b.status = 'CLOSED'")) {
                select.setString(1, siteId);
                select.setString(2, periodId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    jws = key.sign(LedgerJson.write(StatementResource.payload(siteId, periodId, rs)));
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO period_statement (site_id, period_id, issued_at, key_id, jws)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, siteId);
                insert.setString(2, periodId);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.setString(4, key.keyId());
                insert.setString(5, jws);
                insert.executeUpdate();
            }
            return stored(c, siteId, periodId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> stored(Connection c, String siteId, String periodId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT jws FROM period_statement WHERE site_id = ? AND period_id = ?")) {
            select.setString(1, siteId);
            select.setString(2, periodId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
