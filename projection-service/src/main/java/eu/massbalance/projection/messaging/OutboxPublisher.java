package eu.massbalance.projection.messaging;

import eu.massbalance.contracts.Topics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The transactional outbox: rows written with the projection's batch are published to
 * {@code massbalance.deviations.v1} and {@code massbalance.period-results.v1} as CloudEvents, then
 * marked published. Rows are claimed with SKIP LOCKED, so several instances share the work; a
 * crash between send and mark publishes a row twice with the same CloudEvents id.
 */
@ApplicationScoped
public class OutboxPublisher {

    static final URI SOURCE = URI.create("urn:massbalance:projection-service");

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OutboxPublisher.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    @Channel("deviations-out")
    MutinyEmitter<String> deviations;

    @Inject
    @Channel("period-results-out")
    MutinyEmitter<String> periodResults;

    /** Refusals go to the outcome topic of the site's organisation, looked up as they are published. */
    @Inject
    @Channel("outcomes-out")
    MutinyEmitter<String> outcomes;

    record Row(long id, String topic, String key, String ceId, String ceType, String payload) {
    }

    @Scheduled(every = "${projection.outbox.every:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publish() {
        while (publishBatch(500, false) == 500) {
            // keep going while there is a backlog
        }
    }

    /**
     * Refusals go to each organisation's own outcome topic, which an operator creates with the
     * organisation. A topic that is missing must not hold up the deviations and period results, so
     * they are published on a schedule of their own; what cannot be sent stays in the outbox, is
     * tried again, and is logged with the topic to create.
     */
    @Scheduled(every = "${projection.outbox.every:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishOutcomes() {
        try {
            while (publishBatch(500, true) == 500) {
                // keep going while there is a backlog
            }
        } catch (RuntimeException e) {
            LOG.warnf("Refusal notices wait in the outbox: %s (is each organisation's topic %s<organisation> created?)",
                    e.getClass().getSimpleName(), Topics.OUTCOMES_PREFIX);
        }
    }

    int publishBatch(int limit, boolean outcomeTopics) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, topic, message_key, ce_id, ce_type, payload FROM outbox"
                    + " WHERE published_at IS NULL AND (topic = ?) = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                select.setString(1, Topics.OUTCOMES_PREFIX);
                select.setBoolean(2, outcomeTopics);
                select.setInt(3, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6)));
                    }
                }
            }
            if (rows.isEmpty()) {
                c.commit();
                return 0;
            }
            Map<String, Optional<String>> organisations = new HashMap<>();
            for (Row row : rows) {
                if (Topics.OUTCOMES_PREFIX.equals(row.topic())) {
                    organisations.computeIfAbsent(row.key(), site -> organisationOf(c, site));
                }
            }
            List<Uni<Void>> sends = new ArrayList<>();
            for (Row row : rows) {
                if (!Topics.OUTCOMES_PREFIX.equals(row.topic())) {
                    sends.add(send(row, row.topic()));
                } else {
                    // a site of no organisation (registered before organisations existed) has no outcome topic
                    organisations.get(row.key()).ifPresent(org -> sends.add(send(row, Topics.outcomes(org))));
                }
            }
            if (!sends.isEmpty()) {
                Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(30));
            }
            try (PreparedStatement mark = c.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY (?)")) {
                mark.setArray(1, c.createArrayOf("bigint", rows.stream().map(Row::id).toArray()));
                mark.executeUpdate();
            }
            c.commit();
            return rows.size();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not publish the outbox", e);
        }
    }

    private static Optional<String> organisationOf(Connection c, String siteId) {
        try (PreparedStatement select = c.prepareStatement("SELECT organisation_id FROM site_organisation WHERE site_id = ?")) {
            select.setString(1, siteId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Uni<Void> send(Row row, String topic) {
        OutgoingCloudEventMetadata<Object> cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(row.ceId()).withSource(SOURCE).withType(row.ceType()).withSubject(row.key())
                .withDataContentType("application/json").build();
        Message<String> message = Message.of(row.payload(),
                Metadata.of(cloudEvent, OutgoingKafkaRecordMetadata.<String>builder().withKey(row.key()).withTopic(topic).build()));
        MutinyEmitter<String> emitter = Topics.DEVIATIONS.equals(topic) ? deviations
                : Topics.PERIOD_RESULTS.equals(topic) ? periodResults : outcomes;
        return emitter.sendMessage(message);
    }
}
