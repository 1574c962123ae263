package eu.massbalance.testinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 15 server from the embedded binaries on Maven Central. It copes with
 * running as root (the server runs in a user namespace), so it needs no manual step on a
 * build machine and none on a developer laptop either.
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static Postgres shared;

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** A throw-away server on a free port, started once per JVM and shared by all test classes. */
    public static synchronized Postgres shared() {
        if (shared == null) {
            shared = start(EmbeddedPostgres.builder());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-postgres-stop"));
        }
        return shared;
    }

    /** A server whose data survives restarts, for the local stack. */
    public static Postgres persistent(Path dataDirectory, int port) {
        return start(EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port));
    }

    private static Postgres start(EmbeddedPostgres.Builder builder) {
        try {
            return new Postgres(builder
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    // when each transaction committed (pg_xact_commit_timestamp): the benchmark's end-to-end latency
                    .setServerConfig("track_commit_timestamp", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** Creates the database if it does not exist yet and returns its JDBC URL. */
    public synchronized String database(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("Database names are lower-case identifiers: " + name);
        }
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet found = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (!found.next()) {
                    statement.execute("CREATE DATABASE " + name);
                }
            }
            return jdbcUrl(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
    }

    /** The test password of a role: tests only, for a server that lives as long as the test JVM. */
    public static String testPassword(String role) {
        return role + "-test-secret";
    }

    /**
     * Least privilege for a service's database: {@code owner} owns the database and runs the
     * migrations (which grant {@code app} what it needs, see each service's least-privilege
     * migration); {@code app} is what the service signs in as: it can read and write rows, not
     * change the schema, and may only append to an append-only table. Neither is a superuser.
     * Creates the database and the roles if missing, and (re)sets their passwords.
     */
    public synchronized String databaseWithRoles(String name, String owner, String ownerPassword, String app, String appPassword) {
        String url = database(name);
        for (String role : new String[] {owner, app}) {
            if (!role.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("Role names are lower-case identifiers: " + role);
            }
        }
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            ensureRole(statement, owner, ownerPassword);
            ensureRole(statement, app, appPassword);
            statement.execute("ALTER DATABASE " + name + " OWNER TO " + owner);
            statement.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
            statement.execute("GRANT CONNECT ON DATABASE " + name + " TO " + app);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set up the roles of " + name, e);
        }
        return url;
    }

    private static void ensureRole(Statement statement, String role, String password) throws SQLException {
        try (ResultSet found = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
            if (!found.next()) {
                statement.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
            }
        }
        statement.execute("ALTER ROLE " + role + " PASSWORD '" + password.replace("'", "''") + "'");
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
