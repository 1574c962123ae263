package eu.massbalance.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the JVM-wide embedded PostgreSQL, database {@value #DATABASE},
 * with least privilege as in production: the migrations run as {@value #OWNER}, the service signs
 * in as {@value #APP}, and neither is a superuser.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "massbalance_test";
    public static final String OWNER = "massbalance_owner";
    public static final String APP = "massbalance_app";

    /** The test password of a role: tests only. */
    public static String password(String role) {
        return Postgres.testPassword(role);
    }

    @Override
    public Map<String, String> start() {
        Postgres postgres = Postgres.shared();
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.databaseWithRoles(DATABASE, OWNER, password(OWNER), APP, password(APP)),
                "quarkus.datasource.username", APP,
                "quarkus.datasource.password", password(APP),
                "quarkus.flyway.username", OWNER,
                "quarkus.flyway.password", password(OWNER));
    }

    @Override
    public void stop() {
        // shared for the whole JVM; a shutdown hook stops it
    }
}
