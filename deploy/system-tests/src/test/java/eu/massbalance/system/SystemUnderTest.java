package eu.massbalance.system;

import eu.massbalance.contracts.Topics;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.Ports;
import eu.massbalance.testinfra.Postgres;
import eu.massbalance.testinfra.ServiceProcess;
import eu.massbalance.testinfra.TestKafka;
import eu.massbalance.testinfra.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Both packaged services as child JVMs, against the in-JVM broker and the embedded PostgreSQL. */
final class SystemUnderTest implements AutoCloseable {

    static final Path REPOSITORY = Path.of(System.getProperty("repository.root", "../..")).toAbsolutePath().normalize();

    /** The organisation the system tests work in, and the client their ERP posts as. */
    static final String ORG = "system-org";
    /** The system-test organisation's ERP topic, which only its ERP principal may write. */
    static final String ERP_TOPIC = Topics.erpDeliveries(ORG);
    static final String ERP_CLIENT = "system-erp";
    /** One caller with every role in {@link #ORG}: the system tests are about behaviour; access has its own tests. */
    static final Tokens.Principal EVERY_ROLE = new Tokens.Principal("system-tester", ORG, ERP_CLIENT,
            java.util.Set.of("erp", "compliance-officer", "auditor", "admin"), java.util.List.of(ORG));
    static final String BEARER = "Bearer " + Tokens.test(EVERY_ROLE);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String kafka;
    private final Postgres postgres;
    private final Path logs;
    ServiceProcess ledger;
    ServiceProcess projection;

    SystemUnderTest() throws IOException {
        kafka = TestKafka.bootstrapServers(Topics.ALL, 3);
        TestKafka.organisation(ORG, 3);
        postgres = Postgres.shared();
        logs = Files.createDirectories(REPOSITORY.resolve("deploy/system-tests/target/service-logs"));
        ledger = startLedger();
        projection = startProjection();
        ledger.awaitReady(Duration.ofMinutes(2));
        projection.awaitReady(Duration.ofMinutes(2));
        HttpResponse<String> organisation = put(ledger, "/api/v1/organisations/" + ORG, "{\"name\": \"System tests\"}");
        if (organisation.statusCode() / 100 != 2) {
            throw new IllegalStateException("Organisation not registered: " + organisation.body());
        }
    }

    ServiceProcess startLedger() {
        return startLedger(ServiceProcess.SMALL_JVM);
    }

    ServiceProcess startLedger(java.util.List<String> jvmOptions) {
        Map<String, String> env = new java.util.HashMap<>(env("ledger", "ledger", KafkaAccess.LEDGER_SERVICE));
        if (Boolean.getBoolean("benchmark.jfr")) {
            // a flight recording of ledger-service, for finding where its time goes
            env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename="
                    + logs.resolve("ledger-service-" + System.currentTimeMillis() + ".jfr"));
        }
        return ServiceProcess.start("ledger-service", REPOSITORY.resolve("ledger-service"), Ports.free(), env,
                logs.resolve("ledger-service.log"), jvmOptions);
    }

    ServiceProcess startProjection() {
        return startProjection("projection", "projection-service");
    }

    /** A projection-service into its own database and consumer group: a clean rebuild from offset 0. */
    ServiceProcess startProjection(String database, String groupId) {
        return startProjection(database, groupId, ServiceProcess.SMALL_JVM);
    }

    ServiceProcess startProjection(String database, String groupId, java.util.List<String> jvmOptions) {
        return startProjection(database, groupId, jvmOptions, Map.of());
    }

    ServiceProcess startProjection(String database, String groupId, java.util.List<String> jvmOptions, Map<String, String> extraEnv) {
        Map<String, String> env = new java.util.HashMap<>(env(database, "projection", KafkaAccess.PROJECTION_SERVICE));
        env.put("MP_MESSAGING_INCOMING_LEDGER_IN_GROUP_ID", groupId);
        env.put("QUARKUS_LOG_CATEGORY__EU_MASSBALANCE_PROJECTION_STORE__LEVEL", "DEBUG");
        env.put("MASSBALANCE_STATEMENT_KEY", statementKey().toString());
        if (Boolean.getBoolean("benchmark.jfr")) {
            // a flight recording of the projection, for finding where its time goes
            env.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=default,filename="
                    + logs.resolve(database + ".jfr"));
        }
        env.putAll(extraEnv);
        return ServiceProcess.start("projection-service", REPOSITORY.resolve("projection-service"), Ports.free(),
                env, logs.resolve(database + ".log"), jvmOptions);
    }

    /** The operator's key that signs period statements, made once for the system tests. */
    static synchronized Path statementKey() {
        Path key = REPOSITORY.resolve("deploy/system-tests/target/statement-key.pem");
        if (!Files.exists(key)) {
            Tokens.newKeyPair(key.resolveSibling("statement-key.pub.pem"), key);
        }
        return key;
    }

    String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    String kafka() {
        return kafka;
    }

    /**
     * A service's environment: signed in to the broker as {@code kafkaUser}, which may do only that
     * service's part, and to its database as {@code <service>_app}, which may not change the schema
     * (the migrations run as {@code <service>_owner}); neither is a superuser.
     */
    private Map<String, String> env(String database, String service, String kafkaUser) {
        String owner = service + "_owner";
        String app = service + "_app";
        Map<String, String> env = new java.util.HashMap<>();
        env.put("MASSBALANCE_OIDC_KEYS", Tokens.testPublicKeyFile().toString());
        env.put("MASSBALANCE_OIDC_ISSUER", Tokens.TEST_ISSUER);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_USERNAME", kafkaUser);
        env.put("KAFKA_PASSWORD", TestKafka.password(kafkaUser));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.databaseWithRoles(database, owner, Postgres.testPassword(owner),
                app, Postgres.testPassword(app)));
        env.put("QUARKUS_DATASOURCE_USERNAME", app);
        env.put("QUARKUS_DATASOURCE_PASSWORD", Postgres.testPassword(app));
        env.put("QUARKUS_FLYWAY_USERNAME", owner);
        env.put("QUARKUS_FLYWAY_PASSWORD", Postgres.testPassword(owner));
        return env;
    }

    /** Registers a monthly site through ledger-service; the products are kept in m3. */
    void registerSite(String siteId, String firstPeriod, String... products) {
        String list = java.util.Arrays.stream(products).map(p -> "{\"product\": \"" + p + "\", \"unit\": \"m3\"}")
                .collect(java.util.stream.Collectors.joining(", "));
        HttpResponse<String> response = put(ledger, "/api/v1/sites/" + siteId, "{\"name\": \"Depot\", \"periodMonths\": 1,"
                + " \"firstPeriod\": \"" + firstPeriod + "\", \"products\": [" + list + "]}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Site " + siteId + " not registered: " + response.body());
        }
    }

    /** A PUT as {@link #EVERY_ROLE}; a site registered through it is granted to the test ERP client. */
    HttpResponse<String> put(ServiceProcess service, String path, String json) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Content-Type", "application/json").header("Authorization", BEARER)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        java.util.regex.Matcher site = java.util.regex.Pattern.compile("/api/v1/sites/([^/]+)").matcher(path);
        if (service == ledger && site.matches() && response.statusCode() / 100 == 2) {
            HttpResponse<String> grant = send(HttpRequest.newBuilder(URI.create(service.url() + "/api/v1/organisations/" + ORG
                    + "/erp-clients/" + ERP_CLIENT + "/sites/" + site.group(1))).header("Authorization", BEARER)
                    .PUT(HttpRequest.BodyPublishers.noBody()).build());
            if (grant.statusCode() != 200) {
                throw new IllegalStateException("Site " + site.group(1) + " not granted: " + grant.body());
            }
        }
        return response;
    }

    HttpResponse<String> post(ServiceProcess service, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Content-Type", "application/json").header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(ServiceProcess service, String path) {
        return send(HttpRequest.newBuilder(URI.create(service.url() + path)).header("Authorization", BEARER).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (projection != null) {
            projection.close();
        }
        if (ledger != null) {
            ledger.close();
        }
    }
}
