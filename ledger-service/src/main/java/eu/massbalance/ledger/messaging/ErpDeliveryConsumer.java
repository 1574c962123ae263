package eu.massbalance.ledger.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.ledger.intake.DeliveryIntake;
import eu.massbalance.ledger.intake.DeliveryIntake.Outcome;
import eu.massbalance.ledger.intake.Rejection;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Deliveries the ERP systems publish on {@code massbalance.erp-deliveries.v1}, through the same
 * validation and deduplication as REST. A record that cannot be accepted goes to
 * {@code massbalance.rejected.v1} with its original payload, its problems and its source
 * partition/offset, and the consumer moves on: a poison record never stalls it and is never
 * dropped silently. The source offset is committed only after the ledger or the rejected topic
 * acknowledged, so a crash redelivers, and redelivery is harmless (idempotent on delivery id).
 */
@ApplicationScoped
public class ErpDeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(ErpDeliveryConsumer.class);

    @Inject
    DeliveryIntake intake;

    @Inject
    RejectedPublisher rejected;

    @Incoming("erp-in")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        IncomingKafkaRecordMetadata<?, ?> source = message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        String payload = message.getPayload();
        String key = source.getKey() == null ? null : source.getKey().toString();
        ErpDelivery delivery;
        try {
            delivery = payload == null ? null : LedgerJson.mapper().readValue(payload, ErpDelivery.class);
        } catch (JsonProcessingException e) {
            rejected.publish(source, key, payload, "MALFORMED", List.of(problem(e)));
            return message.ack();
        }
        if (delivery == null) {
            rejected.publish(source, key, payload, "MALFORMED", List.of(new FieldProblem("", "REQUIRED", "Empty record")));
            return message.ack();
        }
        String siteId = delivery.siteId() != null ? delivery.siteId() : key;
        if (siteId == null || siteId.isBlank()) {
            rejected.publish(source, key, payload, "INVALID",
                    List.of(new FieldProblem("siteId", "REQUIRED", "siteId is required in the payload or as the record key")));
            return message.ack();
        }
        try {
            Outcome outcome = intake.acceptAll(siteId, List.of(delivery)).get(0);
            switch (outcome.status()) {
                case INVALID -> rejected.publish(source, key, payload, "INVALID", outcome.problems());
                case CONFLICT -> rejected.publish(source, key, payload, "CONFLICT",
                        List.of(new FieldProblem("deliveryId", "DELIVERY_ID_CONFLICT", outcome.message())));
                default -> LOG.debugf("ERP delivery %s/%s %s", siteId, outcome.deliveryId(), outcome.status());
            }
        } catch (Rejection e) {
            rejected.publish(source, key, payload, e.code(), List.of(new FieldProblem("siteId", e.code(), e.getMessage())));
        }
        return message.ack();
    }

    private static FieldProblem problem(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        return new FieldProblem(path, e instanceof JsonMappingException ? "TYPE_MISMATCH" : "JSON_MALFORMED", e.getOriginalMessage());
    }
}
