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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The organisations (reporting companies) and the sites each ERP client of theirs may post for. */
@ApplicationScoped
public class Organisations {

    public record Organisation(String organisationId, String name) {
    }

    public record Grant(String clientId, String siteId, String organisationId) {
    }

    @Inject
    AgroalDataSource dataSource;

    /** Registers or renames an organisation; returns whether it was new. */
    public boolean put(String organisationId, String name, String by, Instant at) {
        return query("INSERT INTO organisation (organisation_id, name, created_by, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (organisation_id) DO UPDATE SET name = excluded.name RETURNING (xmax = 0)", rs -> rs.getBoolean(1),
                organisationId, name, by, Timestamp.from(at)).get(0);
    }

    public Optional<Organisation> find(String organisationId) {
        return query("SELECT organisation_id, name FROM organisation WHERE organisation_id = ?",
                rs -> new Organisation(rs.getString(1), rs.getString(2)), organisationId).stream().findFirst();
    }

    public List<Organisation> all() {
        return query("SELECT organisation_id, name FROM organisation ORDER BY organisation_id",
                rs -> new Organisation(rs.getString(1), rs.getString(2)));
    }

    public void grant(String clientId, String siteId, String organisationId, String by, Instant at) {
        query("INSERT INTO erp_site_grant (client_id, site_id, organisation_id, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING RETURNING 1", rs -> 1, clientId, siteId, organisationId, by, Timestamp.from(at));
    }

    public boolean revoke(String clientId, String siteId) {
        return !query("DELETE FROM erp_site_grant WHERE client_id = ? AND site_id = ? RETURNING 1", rs -> 1, clientId, siteId)
                .isEmpty();
    }

    public boolean granted(String clientId, String siteId, String organisationId) {
        return !query("SELECT 1 FROM erp_site_grant WHERE client_id = ? AND site_id = ? AND organisation_id = ?", rs -> 1,
                clientId, siteId, organisationId).isEmpty();
    }

    public List<Grant> grants(String organisationId) {
        return query("SELECT client_id, site_id, organisation_id FROM erp_site_grant WHERE organisation_id = ?"
                + " ORDER BY client_id, site_id", rs -> new Grant(rs.getString(1), rs.getString(2), rs.getString(3)), organisationId);
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<T> result = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    result.add(row.read(rs));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
