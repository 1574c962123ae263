package eu.massbalance.ledger.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the fate of an accepted command can be followed: the read side (projection-service)
 * serves {@code /api/v1/sites/{siteId}/deliveries/{deliveryId}} and
 * {@code /api/v1/sites/{siteId}/commands/{eventId}}. Absolute when {@code ledger.read-side.url}
 * (LEDGER_READ_SIDE_URL) is set, else a path for a gateway that serves both services under one host.
 */
@ApplicationScoped
public class StatusLinks {

    @ConfigProperty(name = "ledger.read-side.url")
    Optional<String> readSide;

    public URI delivery(String siteId, String deliveryId) {
        return resolve(UriBuilder.fromPath("/api/v1/sites/{siteId}/deliveries/{deliveryId}").build(siteId, deliveryId));
    }

    public URI command(String siteId, String eventId) {
        return resolve(UriBuilder.fromPath("/api/v1/sites/{siteId}/commands/{eventId}").build(siteId, eventId));
    }

    private URI resolve(URI path) {
        if (readSide.isEmpty() || readSide.get().isBlank()) {
            return path;
        }
        String base = readSide.get().endsWith("/") ? readSide.get().substring(0, readSide.get().length() - 1) : readSide.get();
        return URI.create(base + path);
    }
}
