package eu.massbalance.system;

import eu.massbalance.testinfra.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain SQL against a service's database, to compare read models row by row. */
final class Db {

    private Db() {
    }

    static List<List<Object>> rows(String jdbcUrl, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, Postgres.USER, Postgres.PASSWORD);
             PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.add(value instanceof java.math.BigDecimal d ? d.stripTrailingZeros().toPlainString() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            // the service may not have created its schema yet
            return List.of();
        }
    }

    static long count(String jdbcUrl, String sql, Object... args) {
        List<List<Object>> rows = rows(jdbcUrl, sql, args);
        return rows.isEmpty() || rows.get(0).get(0) == null ? 0 : new java.math.BigDecimal(String.valueOf(rows.get(0).get(0))).longValue();
    }
}
