package eu.massbalance.projection.api;

import io.agroal.api.AgroalDataSource;
import eu.massbalance.contracts.access.Principal;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Authenticated
@Path("/api/v1/webhooks/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerting")
public class WebhookResource {

    @Inject
    Access access;

    @Inject
    AgroalDataSource dataSource;

    public record Delivery(long id, String url, String deviationId, int attempts, String state, String lastError, String nextAttemptAt) {
    }

    @GET
    @Operation(summary = "Webhook calls for MAJOR deviations: pending (retrying), failed (gave up) or delivered")
    public List<Delivery> list(@QueryParam("state") @DefaultValue("pending") String state) {
        access.require(Principal.ADMIN);
        String where = switch (state) {
            case "failed" -> "failed";
            case "delivered" -> "delivered_at IS NOT NULL";
            default -> "delivered_at IS NULL AND NOT failed";
        };
        List<Delivery> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT id, url, deviation_id, attempts, delivered_at, failed, last_error,"
                     + " next_attempt_at FROM webhook_delivery WHERE " + where + " ORDER BY id DESC LIMIT 500");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String s = rs.getTimestamp(5) != null ? "DELIVERED" : rs.getBoolean(6) ? "FAILED" : "PENDING";
                rows.add(new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), s, rs.getString(7),
                        rs.getTimestamp(8).toInstant().toString()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
