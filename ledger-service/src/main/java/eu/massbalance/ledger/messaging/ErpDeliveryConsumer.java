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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Deliveries the ERP systems publish on {@code massbalance.erp-deliveries.v1}, through the same
 * validation and deduplication as REST, a polled batch at a time: the records of each site go
 * through {@link DeliveryIntake#acceptAll} together (one site lookup and one claim transaction per
 * site and batch, not per record). A record that cannot be accepted goes to
 * {@code massbalance.rejected.v1} with its original payload, its problems and its source
 * partition/offset, and the consumer moves on: a poison record never stalls it and is never
 * dropped silently. Offsets are committed only after the batch was appended or rejected, so a
 * crash redelivers it, and redelivery is harmless (idempotent on delivery id).
 */
@ApplicationScoped
public class ErpDeliveryConsumer {

    @Inject
    DeliveryIntake intake;

    @Inject
    RejectedPublisher rejected;

    private record Parsed(ConsumerRecord<String, String> record, ErpDelivery delivery) {
    }

    @Incoming("erp-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, String> records) {
        Map<String, List<Parsed>> bySite = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            ErpDelivery delivery;
            try {
                delivery = record.value() == null ? null : LedgerJson.mapper().readValue(record.value(), ErpDelivery.class);
            } catch (JsonProcessingException e) {
                rejected.publish(record, "MALFORMED", List.of(problem(e)));
                continue;
            }
            if (delivery == null) {
                rejected.publish(record, "MALFORMED", List.of(new FieldProblem("", "REQUIRED", "Empty record")));
                continue;
            }
            String siteId = delivery.siteId() != null ? delivery.siteId() : record.key();
            if (siteId == null || siteId.isBlank()) {
                rejected.publish(record, "INVALID",
                        List.of(new FieldProblem("siteId", "REQUIRED", "siteId is required in the payload or as the record key")));
                continue;
            }
            bySite.computeIfAbsent(siteId, s -> new ArrayList<>()).add(new Parsed(record, delivery));
        }
        bySite.forEach(this::accept);
    }

    private void accept(String siteId, List<Parsed> parsed) {
        List<Outcome> outcomes;
        try {
            outcomes = intake.acceptAll(siteId, parsed.stream().map(Parsed::delivery).toList());
        } catch (Rejection e) {
            parsed.forEach(p -> rejected.publish(p.record(), e.code(), List.of(new FieldProblem("siteId", e.code(), e.getMessage()))));
            return;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            ConsumerRecord<String, String> record = parsed.get(i).record();
            switch (outcome.status()) {
                case INVALID -> rejected.publish(record, "INVALID", outcome.problems());
                case CONFLICT -> rejected.publish(record, "CONFLICT",
                        List.of(new FieldProblem("deliveryId", "DELIVERY_ID_CONFLICT", outcome.message())));
                default -> {
                    // appended now, or before (a redelivery)
                }
            }
        }
    }

    private static FieldProblem problem(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        return new FieldProblem(path, e instanceof JsonMappingException ? "TYPE_MISMATCH" : "JSON_MALFORMED", e.getOriginalMessage());
    }
}
