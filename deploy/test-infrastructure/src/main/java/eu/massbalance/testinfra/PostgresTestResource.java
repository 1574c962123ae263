package eu.massbalance.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a {@code @QuarkusTest} at the JVM-wide embedded PostgreSQL, database {@value #DATABASE}. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "massbalance_test";

    @Override
    public Map<String, String> start() {
        Postgres postgres = Postgres.shared();
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.database(DATABASE),
                "quarkus.datasource.username", Postgres.USER,
                "quarkus.datasource.password", Postgres.PASSWORD);
    }

    @Override
    public void stop() {
        // shared for the whole JVM; a shutdown hook stops it
    }
}
