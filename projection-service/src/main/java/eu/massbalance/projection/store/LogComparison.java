package eu.massbalance.projection.store;

import eu.massbalance.contracts.Topics;
import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The journal against the log it came from: a database insider can rewrite journal rows and
 * recompute every later hash, or drop the last rows, and the chain alone still holds; the ledger
 * topic, which only ledger-service may write, is the independent witness. Reads the site's
 * partition from its beginning up to the position the projection has reached and checks, record
 * by record of the site, that the journal holds the same record at the same offset with the same
 * bytes, and no more and no fewer records.
 */
@ApplicationScoped
public class LogComparison {

    /** What the comparison found. */
    public record Result(boolean checked, boolean matches, long records, Long firstMismatchSeq, String reason) {
        static Result notChecked(String reason) {
            return new Result(false, false, 0, null, reason);
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    public Result compare(String siteId) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "projection-audit-verify");
        byte[] key = siteId.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Connection c = dataSource.getConnection()) {
            var partitions = consumer.partitionsFor(Topics.LEDGER, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return Result.notChecked("the ledger topic cannot be described");
            }
            // the partition the producer's default partitioner chose for the site's key
            int partition = Utils.toPositive(Utils.murmur2(key)) % partitions.size();
            TopicPartition tp = new TopicPartition(Topics.LEDGER, partition);
            long position = position(c, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT seq, kafka_partition, kafka_offset, payload FROM journal WHERE site_id = ? ORDER BY seq")) {
                select.setString(1, siteId);
                select.setFetchSize(5000);
                try (ResultSet journal = select.executeQuery()) {
                    return walk(consumer, tp, key, position, journal);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (org.apache.kafka.common.KafkaException e) {
            return Result.notChecked("the ledger topic could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static Result walk(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, byte[] key, long position, ResultSet journal)
            throws SQLException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        long records = 0;
        long seq = 0;
        while (consumer.position(tp) < position) {
            if (System.nanoTime() > deadline) {
                return Result.notChecked("the log was not read to the projection's position within " + WITHIN.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() >= position || !Arrays.equals(key, record.key())) {
                    continue;
                }
                records++;
                if (!journal.next()) {
                    return new Result(true, false, records, seq + 1, "the log holds the site's record at offset " + record.offset()
                            + ", which the journal lacks (event " + (seq + 1) + ")");
                }
                seq = journal.getLong(1);
                if (journal.getInt(2) != tp.partition() || journal.getLong(3) != record.offset()) {
                    return new Result(true, false, records, seq, "event " + seq + " is journaled at offset " + journal.getLong(3)
                            + ", the log has the site's next record at offset " + record.offset());
                }
                if (!Arrays.equals(journal.getString(4).getBytes(StandardCharsets.UTF_8), record.value())) {
                    return new Result(true, false, records, seq, "event " + seq + " differs from the record at offset "
                            + record.offset() + " of the log");
                }
            }
        }
        if (journal.next()) {
            long extra = journal.getLong(1);
            return new Result(true, false, records, extra, "event " + extra + " is in the journal but not on the log");
        }
        return new Result(true, true, records, null, null);
    }

    private static long position(Connection c, int partition) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT next_offset FROM consumer_offset WHERE topic = ? AND kafka_partition = ?")) {
            select.setString(1, Topics.LEDGER);
            select.setInt(2, partition);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
