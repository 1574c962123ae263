package eu.massbalance.contracts.output;

import eu.massbalance.contracts.FieldProblem;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An ERP record that was not accepted, on topic {@code massbalance.rejected.v1}: the original
 * payload exactly as received, where it came from, and every problem found. The payload is the
 * record's text when it is UTF-8 ({@code payloadEncoding} "utf-8"), else its bytes in base64
 * ("base64"). When the original would not fit a record of this topic, {@code payload} holds its
 * beginning and {@code payloadTruncated} is true; {@code payloadBytes} and {@code payloadSha256}
 * always describe the whole original value.
 */
public record RejectedRecord(
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String key,
        String payload,
        String reason,
        List<FieldProblem> problems,
        OffsetDateTime rejectedAt,
        String payloadEncoding,
        Long payloadBytes,
        String payloadSha256,
        Boolean payloadTruncated) {
}
