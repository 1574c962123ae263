package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.event.DeliveryReversed;
import eu.massbalance.ledger.messaging.LedgerAppender;
import eu.massbalance.ledger.store.AcceptedDeliveries;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** Reversals: once per accepted delivery; a repeated request returns the original event id. */
@ApplicationScoped
public class ReversalIntake {

    @Inject
    SiteRegistry sites;

    @Inject
    AcceptedDeliveries accepted;

    @Inject
    LedgerAppender appender;

    @Inject
    AgroalDataSource dataSource;

    public UUID reverse(String siteId, String deliveryId, String reason, String actor) {
        sites.require(siteId);
        if (accepted.find(siteId, deliveryId).isEmpty()) {
            throw new Rejection(Rejection.Kind.NOT_FOUND, "DELIVERY_UNKNOWN", "No delivery " + deliveryId + " was accepted at site " + siteId);
        }
        ControlIntake.requireText("reason", reason, "A reversal needs its reason");
        String requestedBy = ControlIntake.actor(actor);
        UUID eventId = EventIds.of("reversal", siteId, deliveryId);
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO reversal (site_id, delivery_id, event_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            // the row commits only after the append was acknowledged: a failure leaves nothing
            c.setAutoCommit(false);
            insert.setString(1, siteId);
            insert.setString(2, deliveryId);
            insert.setObject(3, eventId);
            insert.executeUpdate();
            try {
                appender.append(eventId, new DeliveryReversed(siteId, deliveryId, reason, requestedBy));
                c.commit();
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return eventId;
    }
}
