package eu.massbalance.ledger.log;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.EventBounds;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.ledger.problem.InvalidInput;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Appends events to a site's log: topic {@value Topics#LEDGER}, keyed by site id so that each
 * site's history is totally ordered, as CloudEvents in binary mode (id, source, type, subject =
 * site id, time). Returns only once the broker has acknowledged every record (acks=all,
 * idempotent producer): a 202 means the events are durably in Kafka.
 */
@ApplicationScoped
public class LedgerAppender {

    static final URI SOURCE = URI.create("urn:massbalance:ledger-service");
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** An event to append; {@code checkedJson}, when given, is its JSON already checked with {@link #problems}. */
    public record Append(UUID eventId, LedgerEvent event, String checkedJson) {
        public Append(UUID eventId, LedgerEvent event) {
            this(eventId, event, null);
        }
    }

    @Inject
    @Channel("ledger-out")
    MutinyEmitter<String> ledger;

    @Inject
    Clock clock;

    @Inject
    TransactionManager transactions;

    public void append(UUID eventId, LedgerEvent event) {
        appendAll(List.of(new Append(eventId, event)));
    }

    /**
     * Sends all records at once (the producer batches them) and waits for every acknowledgement.
     * Nothing is sent unless every event is within {@link EventBounds} and {@link Bounds#EVENT_BYTES}:
     * the last gate before the log, behind each command's own validation.
     */
    public void appendAll(List<Append> appends) {
        if (appends.isEmpty()) {
            return;
        }
        List<String> payloads = new ArrayList<>(appends.size());
        for (Append a : appends) {
            if (a.checkedJson() != null) {
                payloads.add(a.checkedJson());
                continue;
            }
            String json = LedgerJson.write(a.event());
            List<FieldProblem> problems = problems(a.event(), json);
            if (!problems.isEmpty()) {
                throw new InvalidInput(problems);
            }
            payloads.add(json);
        }
        // A caller's database transaction commits only after the broker's acknowledgement. It is
        // suspended while the records are sent: otherwise context propagation carries it onto the
        // producer's thread, which may still hold it when the caller commits, and the commit fails
        // ("multiple threads active", quarkusio/quarkus#39098).
        Transaction suspended = suspend();
        try {
            List<Uni<Void>> sends = new ArrayList<>(appends.size());
            for (int i = 0; i < appends.size(); i++) {
                sends.add(send(appends.get(i).eventId(), appends.get(i).event(), payloads.get(i)));
            }
            Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
        } finally {
            resume(suspended);
        }
    }

    private Transaction suspend() {
        try {
            return transactions.getTransaction() == null ? null : transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("Could not suspend the caller's transaction", e);
        }
    }

    private void resume(Transaction suspended) {
        if (suspended == null) {
            return;
        }
        try {
            transactions.resume(suspended);
        } catch (InvalidTransactionException | SystemException e) {
            throw new IllegalStateException("Could not resume the caller's transaction", e);
        }
    }

    /** What keeps an event off the log: a value out of bounds, or a size beyond what a record may hold. */
    public static List<FieldProblem> problems(LedgerEvent event, String json) {
        List<FieldProblem> problems = new ArrayList<>(EventBounds.problems(event));
        // a char is at most three UTF-8 bytes (a surrogate pair four for two): most events need no counting
        int bytes = json.length() <= Bounds.EVENT_BYTES / 3 ? json.length() : Utf8.length(json);
        if (bytes > Bounds.EVENT_BYTES) {
            problems.add(new FieldProblem("", "EVENT_TOO_LARGE", "The event would be " + bytes + " bytes; at most "
                    + Bounds.EVENT_BYTES + " fit a record of the site's log"));
        }
        return problems;
    }

    private Uni<Void> send(UUID eventId, LedgerEvent event, String json) {
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(eventId.toString())
                .withSource(SOURCE)
                .withType(event.eventType())
                .withSubject(event.siteId())
                .withTimestamp(ZonedDateTime.now(clock))
                .withDataContentType("application/json")
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.siteId())
                .build();
        return ledger.sendMessage(Message.of(json, Metadata.of(cloudEvent, kafka)));
    }
}
