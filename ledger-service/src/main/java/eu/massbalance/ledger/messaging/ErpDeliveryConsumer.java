package eu.massbalance.ledger.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.json.JsonProblems;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.ledger.intake.DeliveryIntake;
import eu.massbalance.ledger.intake.DeliveryIntake.Outcome;
import eu.massbalance.ledger.intake.SiteRegistry;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.problem.Rejection;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Deliveries the ERP systems publish on their organisation's topic
 * ({@code massbalance.erp-deliveries.v1.<organisation>}, subscribed by pattern), through the same
 * validation and deduplication as REST, a polled batch at a time: the records of each topic and
 * site go through {@link DeliveryIntake#acceptAll} together (one site lookup and one claim
 * transaction per site and batch, not per record; up to four sites of a poll at once). The broker lets only an organisation's ERP
 * principals write its topic, so the topic names the organisation: a record for a site of another
 * organisation, or of none, is rejected ({@code SITE_NOT_GRANTED}). A record that cannot be
 * accepted goes to {@code massbalance.rejected.v1} with its original bytes, its problems and its
 * source partition/offset, and the consumer moves on with the other records of the poll: a poison
 * record never stalls it and is never dropped silently. If a site's records fail together for a
 * reason that is not the infrastructure's ({@link Failures}), they are taken one at a time and
 * only the one that fails alone is rejected ({@code UNPROCESSABLE}). A failure of the database or
 * the broker is not the record's fault: it propagates, the poll is not acknowledged, and the
 * records come again. Offsets are committed only after the batch was appended or rejected, so a
 * crash redelivers it, and redelivery is harmless (idempotent on delivery id).
 */
@ApplicationScoped
public class ErpDeliveryConsumer {

    /**
     * Who posted a delivery from an ERP topic: the organisation's ERP principals, which the broker
     * authenticated and alone lets write that topic.
     */
    static String topicActor(String topic) {
        return "kafka:" + topic;
    }

    private static final Logger LOG = Logger.getLogger(ErpDeliveryConsumer.class);

    @Inject
    DeliveryIntake intake;

    @Inject
    RejectedPublisher rejected;

    @Inject
    SiteRegistry sites;

    /** The records of one site that arrived on one organisation's topic. */
    private record Source(String topic, String siteId) {
    }

    private record Parsed(ConsumerRecord<String, byte[]> record, ErpDelivery delivery) {
    }

    /** System.nanoTime() when the poll in hand was taken up, 0 when idle. */
    private volatile long busySince;

    /** How long the poll in hand has been processed, if one is. */
    public Optional<java.time.Duration> busyFor() {
        long since = busySince;
        return since == 0 ? Optional.empty() : Optional.of(java.time.Duration.ofNanos(System.nanoTime() - since));
    }

    @Incoming("erp-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) {
        busySince = System.nanoTime();
        try {
            consumePoll(records);
        } finally {
            busySince = 0;
        }
    }

    private void consumePoll(ConsumerRecords<String, byte[]> records) {
        Map<Source, List<Parsed>> bySite = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                parse(record).ifPresent(p -> bySite.computeIfAbsent(new Source(record.topic(), siteOf(p)), s -> new ArrayList<>()).add(p));
            } catch (RuntimeException e) {
                unprocessable(record, e);
            }
        }
        if (bySite.size() == 1) {
            bySite.forEach(this::acceptIsolated);
            return;
        }
        // the sites of a poll are independent (each site's records stay together and in order): they
        // wait for the database and the broker side by side, and the poll is acknowledged once all are done
        List<java.util.concurrent.Future<?>> running = new ArrayList<>(bySite.size());
        bySite.forEach((source, parsed) -> running.add(sitesInParallel.submit(() -> acceptIsolated(source, parsed))));
        RuntimeException failure = null;
        for (java.util.concurrent.Future<?> site : running) {
            try {
                site.get();
            } catch (java.util.concurrent.ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                failure = failure == null ? cause : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the poll's sites were accepted", e);
            }
        }
        if (failure != null) {
            // an infrastructure failure at any site: the poll is not acknowledged and comes again (idempotent)
            throw failure;
        }
    }

    /** At most this many sites of one poll are accepted at once. */
    static final int SITES_IN_PARALLEL = 4;

    private final java.util.concurrent.ExecutorService sitesInParallel = java.util.concurrent.Executors.newFixedThreadPool(
            SITES_IN_PARALLEL, runnable -> {
                Thread thread = new Thread(runnable, "erp-sites");
                thread.setDaemon(true);
                return thread;
            });

    @jakarta.annotation.PreDestroy
    void stop() {
        sitesInParallel.shutdownNow();
    }

    /** The delivery in the record, or empty when the record was rejected. */
    private Optional<Parsed> parse(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            rejected.publish(record, "MALFORMED", List.of(new FieldProblem("", "REQUIRED", "Empty record")));
            return Optional.empty();
        }
        if (!RejectedPublisher.isUtf8(value)) {
            rejected.publish(record, "MALFORMED", List.of(new FieldProblem("", "NOT_UTF8", "The record is not UTF-8 JSON")));
            return Optional.empty();
        }
        ErpDelivery delivery;
        try {
            delivery = LedgerJson.mapper().readValue(value, ErpDelivery.class);
        } catch (JsonProcessingException e) {
            rejected.publish(record, "MALFORMED", List.of(JsonProblems.of(e)));
            return Optional.empty();
        } catch (IOException e) {
            rejected.publish(record, "MALFORMED", List.of(new FieldProblem("", "JSON_MALFORMED", "The record cannot be read as JSON")));
            return Optional.empty();
        }
        if (delivery == null) {
            rejected.publish(record, "MALFORMED", List.of(new FieldProblem("", "REQUIRED", "Empty record")));
            return Optional.empty();
        }
        Parsed parsed = new Parsed(record, delivery);
        String siteId = siteOf(parsed);
        if (!Bounds.isSiteId(siteId)) {
            rejected.publish(record, "INVALID", List.of(new FieldProblem("siteId",
                    siteId == null || siteId.isBlank() ? "REQUIRED" : "FORMAT",
                    "siteId (letters, digits, '.', '_' and '-', at most 100) is required in the payload or as the record key")));
            return Optional.empty();
        }
        return Optional.of(parsed);
    }

    private static String siteOf(Parsed p) {
        return p.delivery().siteId() != null ? p.delivery().siteId() : p.record().key();
    }

    /** A site's records together; if they fail for a reason of their own, one at a time. */
    private void acceptIsolated(Source source, List<Parsed> parsed) {
        String siteId = source.siteId();
        Optional<String> organisation = Topics.organisationOf(source.topic());
        if (organisation.isEmpty() || !organisation.equals(sites.organisationOf(siteId))) {
            String reason = organisation.isEmpty()
                    ? "The topic " + source.topic() + " is not an organisation's ERP topic"
                    : "Site " + siteId + " is not a site of organisation " + organisation.get() + ", whose topic this is";
            FieldProblem problem = new FieldProblem("siteId", "SITE_NOT_GRANTED", reason);
            parsed.forEach(p -> rejected.publish(p.record(), "SITE_NOT_GRANTED", List.of(problem)));
            return;
        }
        try {
            accept(siteId, parsed);
        } catch (RuntimeException e) {
            if (Failures.isInfrastructure(e) || parsed.size() == 1) {
                rethrowOrReject(parsed.get(0).record(), e);
                return;
            }
            LOG.warnf("The %d records of site %s failed together (%s); taking them one at a time", parsed.size(), siteId,
                    e.getClass().getSimpleName());
            for (Parsed p : parsed) {
                try {
                    accept(siteId, List.of(p));
                } catch (RuntimeException again) {
                    rethrowOrReject(p.record(), again);
                }
            }
        }
    }

    private void rethrowOrReject(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        if (Failures.isInfrastructure(e)) {
            throw e;
        }
        unprocessable(record, e);
    }

    private void unprocessable(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        if (Failures.isInfrastructure(e)) {
            throw e;
        }
        LOG.warnf(e, "ERP record %s-%d@%d cannot be processed; it goes to the rejected topic", record.topic(),
                record.partition(), record.offset());
        rejected.publish(record, "UNPROCESSABLE", List.of(new FieldProblem("", "UNPROCESSABLE",
                "The record could not be processed; it was kept with this reason for a person to look at")));
    }

    private void accept(String siteId, List<Parsed> parsed) {
        List<Outcome> outcomes;
        try {
            outcomes = intake.acceptAll(siteId, parsed.stream().map(Parsed::delivery).toList(),
                    topicActor(parsed.get(0).record().topic()));
        } catch (Rejection e) {
            parsed.forEach(p -> rejected.publish(p.record(), e.code(), List.of(new FieldProblem("siteId", e.code(), e.getMessage()))));
            return;
        } catch (InvalidInput e) {
            parsed.forEach(p -> rejected.publish(p.record(), "INVALID", e.problems()));
            return;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            ConsumerRecord<String, byte[]> record = parsed.get(i).record();
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
}
