package eu.massbalance.ledger.messaging;

import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.TransferDispatched;
import eu.massbalance.ledger.intake.FlowIntake;
import eu.massbalance.ledger.problem.InvalidInput;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * the transfers the projection dispatched ({@code massbalance.transfers.v1}, written by
 * projection-service alone), each appended to its destination's log as material in transit, once:
 * the event id and the accepted row derive from the source site and delivery id, so a notice
 * delivered again (after a crash before the offsets were committed, a rebalance) appends nothing.
 * Offsets are committed after the poll was appended. A notice that cannot become a transit (not
 * JSON, a destination of another organisation) goes to the rejected topic with its reason and the
 * consumer moves on; a failure of the database or the broker propagates and the poll comes again.
 */
@ApplicationScoped
public class TransferConsumer {

    private static final Logger LOG = Logger.getLogger(TransferConsumer.class);

    @Inject
    FlowIntake flows;

    @Inject
    RejectedPublisher rejected;

    @Incoming("transfers-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            TransferDispatched notice;
            try {
                notice = record.value() == null ? null : LedgerJson.mapper().readValue(record.value(), TransferDispatched.class);
            } catch (java.io.IOException | RuntimeException e) {
                rejected.publish(record, "MALFORMED", List.of(new FieldProblem("", "JSON_MALFORMED",
                        "The transfer notice cannot be read")));
                continue;
            }
            if (notice == null || notice.sourceSiteId() == null || notice.deliveryId() == null || notice.destinationSiteId() == null) {
                rejected.publish(record, "INVALID", List.of(new FieldProblem("", "REQUIRED",
                        "A transfer notice names its source site, delivery and destination site")));
                continue;
            }
            try {
                flows.inTransit(notice);
            } catch (InvalidInput e) {
                LOG.warnf("Transfer %s:%s to %s set aside: %s", notice.sourceSiteId(), notice.deliveryId(),
                        notice.destinationSiteId(), e.problems().stream().map(FieldProblem::code).toList());
                rejected.publish(record, "INVALID", e.problems());
            } catch (eu.massbalance.ledger.problem.Rejection e) {
                rejected.publish(record, "INVALID", List.of(new FieldProblem("", e.code(), e.getMessage())));
            }
        }
    }
}
