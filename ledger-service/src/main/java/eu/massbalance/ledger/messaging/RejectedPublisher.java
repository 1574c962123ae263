package eu.massbalance.ledger.messaging;

import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.contracts.output.RejectedRecord;
import eu.massbalance.ledger.log.Utf8;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Keeps every rejected ERP record, with its reason, on {@code massbalance.rejected.v1}: its text
 * byte for byte when it is UTF-8, else its bytes in base64; and when that would not fit a record,
 * its beginning with the whole original's size and SHA-256, so a rejection never fails for size.
 */
@ApplicationScoped
public class RejectedPublisher {

    /** A rejected record stays well under the broker's 1 MiB default. */
    static final int MAX_RECORD_BYTES = 900_000;
    /** What is kept of a payload that does not fit: at most 6 bytes a character once escaped in JSON. */
    static final int TRUNCATED_CHARS = 64 * 1024;
    static final int MAX_PROBLEMS = 100;
    static final int MAX_KEY_CHARS = 200;

    @Inject
    @Channel("rejected-out")
    MutinyEmitter<String> rejected;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    public void publish(ConsumerRecord<String, byte[]> source, String reason, List<FieldProblem> problems) {
        String key = source.key() == null || source.key().length() <= MAX_KEY_CHARS ? source.key()
                : source.key().substring(0, MAX_KEY_CHARS);
        OffsetDateTime now = OffsetDateTime.now(clock);
        String json = LedgerJson.write(record(source, key, reason, problems, now, false));
        if (Utf8.length(json) > MAX_RECORD_BYTES) {
            json = LedgerJson.write(record(source, key, reason, problems, now, true));
        }
        String id = UUID.nameUUIDFromBytes((source.topic() + "/" + source.partition() + "/" + source.offset())
                .getBytes(StandardCharsets.UTF_8)).toString();
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(id).withSource(URI.create("urn:massbalance:ledger-service")).withType("massbalance.RejectedRecord.v1")
                .withSubject(key == null ? "unknown" : key).withDataContentType("application/json").build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
        rejected.sendMessage(Message.of(json, Metadata.of(cloudEvent, kafka))).await().atMost(Duration.ofSeconds(30));
        metrics.counter("massbalance.erp.rejected", "reason", reason).increment();
    }

    /** The rejected record; {@code truncate} keeps only the payload's beginning (its JSON escapes can be 6 times its size). */
    static RejectedRecord record(ConsumerRecord<String, byte[]> source, String key, String reason, List<FieldProblem> problems,
                                 OffsetDateTime at, boolean truncate) {
        byte[] value = source.value() == null ? new byte[0] : source.value();
        boolean utf8 = isUtf8(value);
        String payload = utf8 ? new String(value, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(value);
        boolean truncated = truncate && payload.length() > TRUNCATED_CHARS;
        if (truncated) {
            int end = TRUNCATED_CHARS;
            if (Character.isHighSurrogate(payload.charAt(end - 1))) {
                end--;
            }
            payload = payload.substring(0, end);
        }
        List<FieldProblem> kept = problems;
        if (problems.size() > MAX_PROBLEMS) {
            kept = new ArrayList<>(problems.subList(0, MAX_PROBLEMS));
            kept.add(new FieldProblem("", "MORE_PROBLEMS", (problems.size() - MAX_PROBLEMS) + " more problems not listed"));
        }
        return new RejectedRecord(source.topic(), source.partition(), source.offset(), key,
                source.value() == null ? null : payload, reason, kept, at, utf8 ? "utf-8" : "base64", (long) value.length,
                sha256(value), truncated);
    }

    /** Whether the bytes are well-formed UTF-8. */
    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
