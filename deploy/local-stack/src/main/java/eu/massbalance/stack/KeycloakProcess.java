package eu.massbalance.stack;

import eu.massbalance.testinfra.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keycloak, a real OpenID Connect provider, in a child process: the distribution from Maven
 * Central (copied by the build to {@code deploy/local-stack/target/keycloak/keycloak.zip}),
 * unpacked under the stack's home on first start, run in development mode on 127.0.0.1 with the
 * realm of {@code deploy/keycloak/massbalance-realm.json} imported. Keycloak needs Java 21 or
 * newer: it runs on {@code KEYCLOAK_JAVA_HOME}, or the newest such JDK under /usr/lib/jvm.
 * The demo passwords and the ERP client's secret are made at random on first start and kept in
 * {@code credentials.properties} next to its data.
 */
public final class KeycloakProcess implements AutoCloseable {

    public static final String REALM = "massbalance";
    /** The public client people sign in through with a password (the demo's command line). */
    public static final String CLI_CLIENT = "massbalance-cli";

    private static final Pattern JAVA_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private final Process process;
    private final int port;
    private final Secrets secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakProcess(Process process, int port, Secrets secrets) {
        this.process = process;
        this.port = port;
        this.secrets = secrets;
    }

    /** A JDK that can run Keycloak, if this machine has one. */
    public static Optional<Path> javaHome() {
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .filter(h -> version(h) >= 21)
                    .max(Comparator.comparingInt(KeycloakProcess::version));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(Path javaHome) {
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(javaHome.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Starts Keycloak and waits until the realm answers its discovery document. */
    public static KeycloakProcess start(Path repository, Path home, int port, Path javaHome, Path log) {
        try {
            Path distribution = unpacked(repository.resolve("deploy/local-stack/target/keycloak/keycloak.zip"), home);
            Path imports = Files.createDirectories(distribution.resolve("data/import"));
            Files.copy(repository.resolve("deploy/keycloak/massbalance-realm.json"), imports.resolve("massbalance-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            Secrets secrets = Secrets.at(home.resolve("credentials.properties"), "Keycloak of the local stack: demo passwords");
            List<String> command = new ArrayList<>(List.of(distribution.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--import-realm"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            env.put("JAVA_HOME", javaHome.toString());
            env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", secrets.password("keycloak-admin"));
            // the realm file's placeholders
            env.put("MB_DEMO_PASSWORD", secrets.password("demo-users"));
            env.put("MB_DEMO_ERP_SECRET", secrets.password("demo-erp"));
            env.put("MB_BATTERY_ERP_SECRET", secrets.password(Identity.BATTERY_ERP_CLIENT));
            env.put("MB_BATTERY_OFFICE_SECRET", secrets.password(Identity.BATTERY_OFFICE_CLIENT));
            KeycloakProcess keycloak = new KeycloakProcess(builder.start(), port, secrets);
            keycloak.awaitRealm(Duration.ofMinutes(3), log);
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Keycloak; see " + log, e);
        }
    }

    private static Path unpacked(Path zip, Path home) throws IOException {
        Path done = home.resolve("unpacked");
        if (!Files.exists(done)) {
            if (!Files.exists(zip)) {
                throw new IOException("No Keycloak distribution at " + zip + "; build first (./mvnw install -DskipTests)");
            }
            Files.createDirectories(home);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    Path target = home.resolve(entry.getName()).normalize();
                    if (!target.startsWith(home)) {
                        throw new IOException("Entry outside the target directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        if (target.getFileName().toString().endsWith(".sh")) {
                            target.toFile().setExecutable(true);
                        }
                    }
                }
            }
            Files.writeString(done, zip.toString());
        }
        try (Stream<Path> entries = Files.list(home)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("keycloak-") && Files.isDirectory(p)).findFirst()
                    .orElseThrow(() -> new IOException("No keycloak-* directory in " + home));
        }
    }

    private void awaitRealm(Duration within, Path log) {
        long deadline = System.nanoTime() + within.toNanos();
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak stopped while starting; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                // a child process offers nothing to wait on but its port: poll it twice a second
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Keycloak did not answer within " + within + "; see " + log);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String issuer() {
        return url() + "/realms/" + REALM;
    }

    public String jwks() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public Secrets secrets() {
        return secrets;
    }

    /** An access token for a demo user, by the password grant of the command-line client. */
    public String userToken(String username) {
        return token(Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", username,
                "password", secrets.password("demo-users"), "scope", "openid"));
    }

    /** An access token for a confidential client, by the client-credentials grant. */
    public String clientToken(String clientId) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secrets.password(clientId)));
    }

    private String token(Map<String, String> form) {
        return token(tokenEndpoint(), form, http);
    }

    static String token(String endpoint, Map<String, String> form, HttpClient http) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("The identity provider gave no token (" + response.statusCode() + "): " + response.body());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(30));
    }
}
