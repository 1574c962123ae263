package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.event.DeliveryReversed;
import eu.massbalance.ledger.log.LedgerAppender;
import eu.massbalance.ledger.problem.Rejection;
import eu.massbalance.ledger.store.AcceptedDeliveries;
import eu.massbalance.ledger.store.CommandRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
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
    CommandRequests requests;

    @Inject
    Clock clock;

    public UUID reverse(String siteId, String deliveryId, String reason, String actor) {
        sites.require(siteId);
        if (accepted.find(siteId, deliveryId).isEmpty()) {
            throw new Rejection(Rejection.Kind.NOT_FOUND, "DELIVERY_UNKNOWN", "No delivery " + deliveryId + " was accepted at site " + siteId);
        }
        ControlIntake.requireText("reason", reason, "A reversal needs its reason");
        String requestedBy = ControlIntake.actor(actor);
        UUID eventId = EventIds.of("reversal", siteId, deliveryId);
        // once per delivery: a repeated request, whatever its reason, returns the first one's event id
        return requests.record(new CommandRequests.Request(siteId, "reversal", deliveryId, eventId, "", requestedBy, clock.instant()),
                recorded -> appender.append(eventId, new DeliveryReversed(siteId, deliveryId, reason, requestedBy))).eventId();
    }
}
