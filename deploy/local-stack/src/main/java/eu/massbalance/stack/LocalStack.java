package eu.massbalance.stack;

import eu.massbalance.contracts.Topics;
import eu.massbalance.testinfra.KafkaAccess;
import eu.massbalance.testinfra.Postgres;
import eu.massbalance.testinfra.ServiceProcess;
import eu.massbalance.testinfra.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole system on this machine, no Docker: a KRaft Kafka broker and a PostgreSQL server
 * whose data live under one directory, the topics, both services as packaged fast-jars, and a
 * demo feed. Ctrl-C stops the services first, then the broker, then the database, waiting
 * for each to exit. A second start reuses the data.
 */
public final class LocalStack {

    private final Path repository;
    private final Path home;
    private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    private final long startedAt = System.nanoTime();

    private LocalStack(Path repository, Path home) {
        this.repository = repository;
        this.home = home;
    }

    public static void main(String[] args) throws Exception {
        Path repository = Path.of(env("MB_REPOSITORY", ".")).toAbsolutePath().normalize();
        Path home = Path.of(env("MB_HOME", repository.resolve(".local").toString())).toAbsolutePath().normalize();
        boolean demo = !List.of(args).contains("--no-demo") && !"false".equals(env("MB_DEMO", "true"));
        LocalStack stack = new LocalStack(repository, home);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            stack.start(demo);
        } catch (RuntimeException e) {
            System.err.println("\nStart failed: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void start(boolean demo) throws Exception {
        Files.createDirectories(home.resolve("logs"));
        int pgPort = Integer.parseInt(env("MB_POSTGRES_PORT", "15432"));
        int kafkaPort = Integer.parseInt(env("MB_KAFKA_PORT", "19092"));
        int ledgerPort = Integer.parseInt(env("MB_LEDGER_PORT", "8080"));
        int projectionPort = Integer.parseInt(env("MB_PROJECTION_PORT", "8081"));

        step("Starting PostgreSQL 15 on port " + pgPort + " (data in " + home.resolve("postgres") + ")");
        Postgres postgres = Postgres.persistent(home.resolve("postgres"), pgPort);
        started.add(postgres);
        // least privilege: each service signs in as <service>_app; its migrations run as <service>_owner
        Secrets dbSecrets = Secrets.at(home.resolve("postgres-credentials.properties"), "PostgreSQL roles of the local stack");
        Map<String, String> ledgerDb = database(postgres, dbSecrets, "ledger");
        Map<String, String> projectionDb = database(postgres, dbSecrets, "projection");

        step("Starting Kafka (KRaft, single node) on port " + kafkaPort + " (data in " + home.resolve("kafka") + ")");
        KafkaProcess kafka = KafkaProcess.start(home.resolve("kafka"), kafkaPort, kafkaPort + 1, home.resolve("logs/kafka.log"));
        started.add(kafka);
        String erpTopic = Topics.erpDeliveries(Identity.ORG);
        step("Creating topics " + Topics.ALL + ", " + erpTopic + " and " + Topics.outcomes(Identity.ORG)
                + ", the principals and their ACLs");
        TopicAdmin.create(kafka.admin(), Topics.ALL, 6);
        TopicAdmin.create(kafka.admin(), List.of(erpTopic, Topics.outcomes(Identity.ORG)), 6);
        // the demo's second organisation publishes through REST only; its refusals still need their outcome topic
        TopicAdmin.create(kafka.admin(), List.of(Topics.erpDeliveries(Identity.BATTERY_ORG), Topics.outcomes(Identity.BATTERY_ORG)), 3);
        String erpPrincipal = KafkaAccess.erpPrincipal(Identity.ORG);
        try (Admin admin = Admin.create(kafka.admin())) {
            Map<String, String> passwords = new java.util.HashMap<>();
            for (String user : List.of(KafkaAccess.LEDGER_SERVICE, KafkaAccess.PROJECTION_SERVICE, erpPrincipal)) {
                passwords.put(user, kafka.credentials().password(user));
            }
            KafkaAccess.upsertUsers(admin, passwords);
            List<org.apache.kafka.common.acl.AclBinding> acls = new ArrayList<>(KafkaAccess.serviceAcls());
            acls.addAll(KafkaAccess.erpAcls(Identity.ORG));
            acls.addAll(KafkaAccess.erpAcls(Identity.BATTERY_ORG));
            KafkaAccess.grant(admin, acls);
        }

        Identity identity;
        java.util.Optional<Path> keycloakJava = KeycloakProcess.javaHome();
        if (keycloakJava.isPresent()) {
            int keycloakPort = Integer.parseInt(env("MB_KEYCLOAK_PORT", "8180"));
            step("Starting Keycloak (identity provider, realm " + KeycloakProcess.REALM + ") on port " + keycloakPort + " with "
                    + keycloakJava.get() + " (about 20 s; the first start unpacks it)");
            KeycloakProcess keycloak = KeycloakProcess.start(repository, home.resolve("keycloak"), keycloakPort, keycloakJava.get(),
                    home.resolve("logs/keycloak.log"));
            started.add(keycloak);
            step("Keycloak is ready: " + keycloak.issuer());
            identity = new KeycloakIdentity(keycloak);
        } else {
            step("No JDK 21+ for Keycloak (set KEYCLOAK_JAVA_HOME): a local signing key stands in for the identity provider");
            identity = LocalIdentity.at(home);
        }
        step("Starting ledger-service and projection-service (logs in " + home.resolve("logs") + ")");
        ServiceProcess ledger = ServiceProcess.start("ledger-service", repository.resolve("ledger-service"), ledgerPort,
                withReadSide(serviceEnv(kafka, KafkaAccess.LEDGER_SERVICE, ledgerDb, identity), projectionPort), home.resolve("logs/ledger-service.log"));
        started.add(0, ledger);
        ServiceProcess projection = ServiceProcess.start("projection-service", repository.resolve("projection-service"),
                projectionPort, withLedger(withStatementKey(serviceEnv(kafka, KafkaAccess.PROJECTION_SERVICE, projectionDb, identity), home),
                        ledgerPort),
                home.resolve("logs/projection-service.log"));
        started.add(0, projection);
        ledger.awaitReady(Duration.ofMinutes(2));
        step("ledger-service is ready");
        projection.awaitReady(Duration.ofMinutes(2));
        step("projection-service is ready");

        String demoSummary = demo ? new DemoFeed(ledger.url(), projection.url(), home, identity).load() : "Demo feed off (--no-demo).";
        System.out.println();
        System.out.println("Mass-balance ledger is running (" + seconds() + " s). Ctrl-C stops everything.");
        System.out.println("  ledger-service      " + ledger.url() + "/q/swagger-ui   health " + ledger.url() + "/q/health");
        System.out.println("  projection-service  " + projection.url() + "/q/swagger-ui   health " + projection.url() + "/q/health");
        System.out.println("  workspace           " + projection.url() + "/app/   (in a browser: sign in as greta.auditor or anna.compliance)");
        System.out.println("  statement key       " + projection.url() + "/.well-known/massbalance/statement-keys.json   (checks each closed"
                + " period's signed statement, …/periods/{periodId}/statement)");
        System.out.println("  offline check       java -jar verifier/target/massbalance-verifier.jar <site>-journal.ndjson statement-keys.json"
                + "   (the export: …/api/v1/sites/{siteId}/journal/export; see verifier/README.md)");
        System.out.println("  Kafka               " + kafka.bootstrapServers() + " (SASL/SCRAM-SHA-512 and ACLs; the demo ERP publishes"
                + " to " + erpTopic + " as " + erpPrincipal + ", passwords in " + kafka.credentials().file() + ")");
        System.out.println("  PostgreSQL          " + postgres.jdbcUrl("projection") + " (the services sign in as ledger_app and"
                + " projection_app, which may not change the schema; passwords in " + dbSecrets.file() + ")");
        System.out.println("  " + demoSummary);
        System.out.println("  Demo organisations " + Identity.ORG + " (fuel depots) and " + Identity.BATTERY_ORG
                + " (battery materials: its back office and ERP are the clients " + Identity.BATTERY_OFFICE_CLIENT + " and "
                + Identity.BATTERY_ERP_CLIENT + ").");
        identity.howToSignIn(projection.url()).forEach(line -> System.out.println("  " + line));
    }

    /** ledger-service's 202 answers link to the status resources the read side serves. */
    /** The key that signs closed periods' statements: made once under {@code .local/keys}, kept out of the repository. */
    private static Map<String, String> withStatementKey(Map<String, String> env, java.nio.file.Path home) throws java.io.IOException {
        java.nio.file.Path keys = java.nio.file.Files.createDirectories(home.resolve("keys"));
        java.nio.file.Path privateKey = keys.resolve("statement-key.pem");
        if (!java.nio.file.Files.exists(privateKey)) {
            eu.massbalance.testinfra.Tokens.newKeyPair(keys.resolve("statement-key.pub.pem"), privateKey);
        }
        Map<String, String> with = new java.util.HashMap<>(env);
        with.put("MASSBALANCE_STATEMENT_KEY", privateKey.toString());
        return with;
    }

    /** The workspace sends a compliance officer's commands to ledger-service, as that person. */
    private static Map<String, String> withLedger(Map<String, String> env, int ledgerPort) {
        Map<String, String> with = new java.util.HashMap<>(env);
        with.put("MASSBALANCE_LEDGER_URL", "http://localhost:" + ledgerPort);
        return with;
    }

    private static Map<String, String> withReadSide(Map<String, String> env, int projectionPort) {
        Map<String, String> with = new java.util.HashMap<>(env);
        with.put("LEDGER_READ_SIDE_URL", "http://localhost:" + projectionPort);
        return with;
    }

    /** A service's database with its owner and app roles, as the service's environment. */
    private static Map<String, String> database(Postgres postgres, Secrets secrets, String service) {
        String owner = service + "_owner";
        String app = service + "_app";
        String url = postgres.databaseWithRoles(service, owner, secrets.password(owner), app, secrets.password(app));
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", app, "QUARKUS_DATASOURCE_PASSWORD", secrets.password(app),
                "QUARKUS_FLYWAY_USERNAME", owner, "QUARKUS_FLYWAY_PASSWORD", secrets.password(owner));
    }

    private static Map<String, String> serviceEnv(KafkaProcess kafka, String kafkaUser, Map<String, String> database, Identity identity) {
        Map<String, String> env = new java.util.HashMap<>(identity.serviceEnv());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_USERNAME", kafkaUser);
        env.put("KAFKA_PASSWORD", kafka.credentials().password(kafkaUser));
        env.putAll(database);
        return env;
    }

    private void stop() {
        System.out.println("\nStopping: services, then Kafka, then PostgreSQL ...");
        List<AutoCloseable> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        // services were added at the front, infrastructure at the back in start order; stop Kafka before PostgreSQL
        List<AutoCloseable> services = toStop.stream().filter(c -> c instanceof ServiceProcess).toList();
        List<AutoCloseable> infrastructure = new ArrayList<>(toStop.stream().filter(c -> !(c instanceof ServiceProcess)).toList());
        Collections.reverse(infrastructure);
        services.forEach(LocalStack::closeQuietly);
        infrastructure.forEach(LocalStack::closeQuietly);
        System.out.println("Stopped.");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("  could not stop cleanly: " + e.getMessage());
        }
    }

    private void step(String message) {
        System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - startedAt) / 1e9, message);
    }

    private String seconds() {
        return String.format("%.1f", (System.nanoTime() - startedAt) / 1e9);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
