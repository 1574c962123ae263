package eu.massbalance.ledger.api;

import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.ledger.messaging.LedgerAppender;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/sites/{siteId}/deliveries")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    @Inject
    LedgerAppender appender;

    public record Accepted(String eventId, String siteId, String deliveryId, String status) {
    }

    @POST
    public Uni<Response> post(@PathParam("siteId") String siteId, DeliveryRequest request) {
        LedgerEvent event = toEvent(siteId, request);
        String eventId = eventId(siteId, request.deliveryId());
        return appender.append(eventId, event)
                .map(ignored -> Response.accepted(new Accepted(eventId, siteId, request.deliveryId(), "ACCEPTED")).build());
    }

    /** Deterministic: the same delivery always has the same event id, which makes retries recognisable. */
    static String eventId(String siteId, String deliveryId) {
        return UUID.nameUUIDFromBytes(("delivery/" + siteId + "/" + deliveryId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static LedgerEvent toEvent(String siteId, DeliveryRequest r) {
        Quantity quantity = new Quantity(r.quantity().amount(), Unit.fromSymbol(r.quantity().unit()).orElseThrow());
        List<BatchLine> lines = r.sustainable() == null ? List.of() : r.sustainable().stream()
                .map(l -> new BatchLine(l.batchId(), l.amount(), l.characteristics()))
                .toList();
        return "INBOUND".equals(r.direction())
                ? new InboundDelivery(siteId, r.deliveryId(), r.occurredAt(), r.product(), quantity, r.supplierId(),
                        r.transportDocument(), lines, r.density(), r.lowerHeatingValue())
                : new OutboundDelivery(siteId, r.deliveryId(), r.occurredAt(), r.product(), quantity, r.customerId(),
                        r.useArea(), r.taxLiability(), lines, r.density(), r.lowerHeatingValue());
    }
}
