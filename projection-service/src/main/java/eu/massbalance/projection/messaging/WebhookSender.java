package eu.massbalance.projection.messaging;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tells the configured webhooks about MAJOR deviations (R-18: reported at once). Runs on its own
 * schedule, never in the projection's path; a failed call is retried with exponential backoff
 * (1 s, 2 s, 4 s … at most 10 min) up to the configured attempts, then marked failed. Failures
 * are counted in metrics and listed at {@code /api/v1/webhooks/deliveries}. Every call is signed:
 * {@code X-Massbalance-Signature: sha256=<hex>}, the HMAC-SHA256 of the body with the subscriber's
 * secret ({@code projection.webhooks.secrets}, one per URL, in the order of the URLs), so that a
 * receiver can tell our calls from anyone else's.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "projection.webhooks.max-attempts", defaultValue = "10")
    int maxAttempts;

    @ConfigProperty(name = "projection.webhooks.urls")
    java.util.Optional<List<String>> urls;

    @ConfigProperty(name = "projection.webhooks.secrets")
    java.util.Optional<List<String>> secrets;

    private final java.util.Map<String, String> secretOf = new java.util.HashMap<>();

    /** Each subscriber has its secret, or the service does not start. */
    @jakarta.annotation.PostConstruct
    void secrets() {
        List<String> u = urls.orElse(List.of());
        List<String> s = secrets.orElse(List.of());
        if (u.size() != s.size()) {
            throw new IllegalStateException("PROJECTION_WEBHOOKS_SECRETS must hold one secret per URL of PROJECTION_WEBHOOKS_URLS,"
                    + " in the same order: " + u.size() + " URL(s), " + s.size() + " secret(s)");
        }
        for (int i = 0; i < u.size(); i++) {
            secretOf.put(u.get(i), s.get(i));
        }
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of the body with the secret. */
    static String signature(String secret, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HTTP/1.1: receivers are often simple servers that do not answer an HTTP/2 upgrade. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Due(long id, String url, String payload, int attempts) {
    }

    @Scheduled(every = "${projection.webhooks.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void send() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Due> due = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, url, payload, attempts FROM webhook_delivery"
                    + " WHERE delivered_at IS NULL AND NOT failed AND next_attempt_at <= now() ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED")) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
                    }
                }
            }
            for (Due d : due) {
                String error = post(d);
                if (error == null) {
                    update(c, "UPDATE webhook_delivery SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ?", d.id());
                } else {
                    metrics.counter("massbalance.webhook.failures").increment();
                    int attempts = d.attempts() + 1;
                    long backoff = Math.min(600, 1L << Math.min(attempts - 1, 20));
                    try (PreparedStatement fail = c.prepareStatement("UPDATE webhook_delivery SET attempts = ?, last_error = ?,"
                            + " next_attempt_at = now() + make_interval(secs => ?), failed = ? WHERE id = ?")) {
                        fail.setInt(1, attempts);
                        fail.setString(2, error);
                        fail.setLong(3, backoff);
                        fail.setBoolean(4, attempts >= maxAttempts);
                        fail.setLong(5, d.id());
                        fail.executeUpdate();
                    }
                    LOG.warnf("Webhook %s failed (attempt %d): %s", d.url(), attempts, error);
                }
            }
            c.commit();
        } catch (SQLException e) {
            LOG.error("Webhook delivery round failed", e);
        }
    }

    private String post(Due d) {
        String secret = secretOf.get(d.url());
        if (secret == null) {
            return "no secret configured for this URL any more";
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(d.url()))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Massbalance-Signature", signature(secret, d.payload()))
                    .header("ce-type", "massbalance.Deviation.v1")
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static void update(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(sql)) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }
}
