package eu.massbalance.ledger.log;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.event.EventBounds;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.ledger.problem.InvalidInput;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;

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

    private static final Header SPEC_VERSION = new RecordHeader("ce_specversion", utf8("1.0"));
    private static final Header SOURCE_HEADER = new RecordHeader("ce_source", utf8(SOURCE.toString()));
    private static final Header CONTENT_TYPE = new RecordHeader("content-type", utf8("application/json"));

    /**
     * The channel is declared for its producer: its configuration (idempotent, acks=all, the
     * broker's credentials) and its health check. The records go straight to that producer.
     */
    @Inject
    @Channel("ledger-out")
    MutinyEmitter<String> channel;

    @Inject
    KafkaClientService clients;

    @Inject
    Clock clock;

    private Producer<String, String> producer;

    @PostConstruct
    void connect() {
        producer = clients.<String, String>getProducer("ledger-out").unwrap();
    }

    public void append(UUID eventId, LedgerEvent event) {
        appendAll(List.of(new Append(eventId, event)));
    }

    /**
     * Sends all records at once (the producer batches them) and waits for every acknowledgement.
     * The caller's database transaction, if any, commits only after this returns.
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
        // every record goes to the producer before the first acknowledgement is awaited: they travel in
        // the same produce requests, and the acknowledgements come back together
        List<Future<RecordMetadata>> acks = new ArrayList<>(appends.size());
        String time = ZonedDateTime.now(clock).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        for (int i = 0; i < appends.size(); i++) {
            acks.add(producer.send(record(appends.get(i).eventId(), appends.get(i).event(), payloads.get(i), time)));
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            await(ack, deadline);
        }
    }

    private static void await(Future<RecordMetadata> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException("The broker did not take the record", e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("The broker did not acknowledge within " + ACK_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while waiting for the broker", e);
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

    /** The record as a CloudEvent in binary mode: the event's JSON as value, its attributes as {@code ce_} headers. */
    private static ProducerRecord<String, String> record(UUID eventId, LedgerEvent event, String json, String time) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEDGER, event.siteId(), json);
        record.headers()
                .add(SPEC_VERSION)
                .add("ce_id", utf8(eventId.toString()))
                .add(SOURCE_HEADER)
                .add("ce_type", utf8(event.eventType()))
                .add("ce_subject", utf8(event.siteId()))
                .add("ce_time", utf8(time))
                .add(CONTENT_TYPE);
        return record;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
