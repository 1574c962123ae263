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

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
