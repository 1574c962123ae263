package eu.massbalance.projection.web;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a person's command from the workspace to ledger-service, as that person: their own access
 * token goes along as the bearer token, so ledger-service checks their role and organisation and
 * records them as the actor, exactly as for a call to its API.
 */
@ApplicationScoped
public class LedgerCommands {

    /** What ledger-service answered: its status and its JSON body (an accepted event, or a problem). */
    public record Outcome(int status, JsonNode body) {
        boolean accepted() {
            return status == 202 || status == 200;
        }

        String text(String field) {
            return body != null && body.hasNonNull(field) ? body.get(field).asText() : "";
        }
    }

    @ConfigProperty(name = "massbalance.web.ledger-url")
    Optional<String> ledgerUrl;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public boolean configured() {
        return ledgerUrl.filter(u -> !u.isBlank()).isPresent();
    }

    /** POSTs {@code body} as JSON to the path made of {@code segments}, each one percent-encoded. */
    public Outcome post(String bearer, String idempotencyKey, Object body, String... segments) throws IOException, InterruptedException {
        StringBuilder path = new StringBuilder(ledgerUrl.orElseThrow().replaceAll("/+$", ""));
        for (String segment : segments) {
            path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.toString())).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(LedgerJson.mapper().writeValueAsBytes(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode answer;
        try {
            answer = response.body().length == 0 ? null : LedgerJson.mapper().readTree(response.body());
        } catch (IOException notJson) {
            answer = null;
        }
        return new Outcome(response.statusCode(), answer);
    }
}
