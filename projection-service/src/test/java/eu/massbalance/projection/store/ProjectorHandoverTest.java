package eu.massbalance.projection.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.api.ProjectionFlowTest;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Two projector instances hand one partition back and forth with batches in flight, polled
 * ranges overlapping and records delivered twice; the result equals one instance applying the
 * log once. This drives the paths a rebalance takes: a prepared batch whose stored offset moved
 * on is rolled back and redone from the journal, and the batch prepared on top of it too.
 */
@QuarkusTest
@TestProfile(ProjectionFlowTest.WithWebhook.class)
class ProjectorHandoverTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Inject
    ReadModels readModels;

    @Test
    void the_dispatch_views_are_an_instances_only_while_it_owns_the_partition_and_show_only_what_is_committed() throws Exception {
        String site = "views-" + UUID.randomUUID().toString().substring(0, 8);
        TopicPartition tp = new TopicPartition("test.views." + site, 0);
        List<ConsumerRecord<String, byte[]>> log = records(tp, events(site));
        Projector a = instance();
        a.assigned(List.of(tp));
        assertTrue(a.dispatchViews.view(site).isEmpty(), "nothing committed yet");
        a.apply(batch(tp, log, 0, 10));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                a.dispatchViews.view(site).map(v -> v.seq() == 10).orElse(false));
        assertEquals(10, scalar("SELECT max(seq) FROM journal WHERE site_id = ?", site), "the view follows the committed journal");

        a.revoked(List.of(tp));
        assertTrue(a.dispatchViews.view(site).isEmpty(), "a revoked partition's sites are no longer answered from memory");
        Projector b = instance();
        b.assigned(List.of(tp));
        assertEquals(10, b.dispatchViews.view(site).orElseThrow().seq(), "the new owner answers from what it loaded");
        a.stop();
        b.stop();
    }

    @Test
    void two_instances_handing_a_partition_over_mid_stream_store_what_one_instance_stores() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String handedOver = "handover-" + run;
        String clean = "clean-" + run;
        TopicPartition shared = new TopicPartition("test.handover." + run, 0);
        TopicPartition alone = new TopicPartition("test.clean." + run, 0);
        List<ConsumerRecord<String, byte[]>> log = records(shared, events(handedOver));
        int n = log.size();

        Projector a = instance();
        Projector b = instance();
        a.assigned(List.of(shared));
        a.apply(batch(shared, log, 0, 15));                 // in flight while b takes over
        long resume = b.assigned(List.of(shared)).get(shared);
        b.apply(batch(shared, log, (int) resume, 30));
        a.apply(batch(shared, log, 15, 45));                // a still believes it is at 15
        b.apply(batch(shared, log, 30, 45));                // delivered twice
        a.apply(batch(shared, log, 45, n));
        a.stop();
        b.stop();

        Projector c = instance();
        c.assigned(List.of(alone));
        c.apply(batch(alone, records(alone, events(clean)), 0, n));
        c.stop();

        assertEquals(n, scalar("SELECT next_offset FROM consumer_offset WHERE topic = ?", shared.topic()));
        assertEquals(n, scalar("SELECT count(*) FROM journal WHERE site_id = ?", handedOver));
        assertEquals(n, scalar("SELECT max(seq) FROM journal WHERE site_id = ?", handedOver));
        for (String sql : List.of(
                "SELECT seq, event_type, refusal_code FROM journal WHERE site_id = ? ORDER BY seq",
                "SELECT delivery_id, seq, status, period_id, quantity, sustainable, non_sustainable, open_claim, late, event_seq"
                        + " FROM movement WHERE site_id = ? ORDER BY delivery_id",
                "SELECT delivery_id, seq, ordinal, kind, batch_id, amount FROM portion WHERE site_id = ? ORDER BY 1, 2, 3",
                "SELECT period_id, status, seq FROM period_balance WHERE site_id = ? ORDER BY period_id",
                "SELECT batch_id, on_hand, position FROM stock WHERE site_id = ? ORDER BY position")) {
            List<List<Object>> expected = rows(sql, clean);
            assertTrue(expected.size() > 0, sql);
            assertEquals(expected, rows(sql, handedOver), sql);
        }
        assertTrue(readModels.verify(handedOver).intact(), "the hash chain of the handed-over site is intact");
    }

    @Test
    void a_pending_delivery_refused_when_its_period_comes_is_marked_REFUSED_and_can_be_offered_again() throws Exception {
        String site = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        TopicPartition tp = new TopicPartition("test.refused." + site, 0);
        OffsetDateTime february = OffsetDateTime.parse("2025-02-10T10:00:00+01:00");
        SiteConfigured hvoAndFame = new SiteConfigured(site, "Depot", "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2025, 1),
                null, List.of(new SiteConfigured.ProductConfig("HVO", Unit.M3), new SiteConfigured.ProductConfig("FAME", Unit.M3)),
                List.of(), null, null, null, null);
        SiteConfigured fameOnly = new SiteConfigured(site, "Depot", "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2025, 1),
                null, List.of(new SiteConfigured.ProductConfig("FAME", Unit.M3)), List.of(), null, null, null, null);
        List<LedgerEvent> events = List.of(hvoAndFame,
                // dated in February while January is open: it waits
                new OutboundDelivery(site, "T-1", february, "HVO", Quantity.of("30", Unit.M3), "haulier", "TRANSPORT", false,
                        List.of(), null, null),
                fameOnly,
                // January closes, February opens, the waiting delivery is checked again: HVO is no longer kept here
                new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
        Projector projector = instance();
        projector.assigned(List.of(tp));
        List<ConsumerRecord<String, byte[]>> log = records(tp, events);
        projector.apply(batch(tp, log, 0, log.size()));
        projector.stop();
        assertEquals(List.of(List.of("REFUSED", "HVO", 2L)),
                rows("SELECT status, product, event_seq FROM movement WHERE site_id = ? AND delivery_id = 'T-1'", site));

        // offered again, as FAME: it replaces the refused row, pointing at its new event
        List<ConsumerRecord<String, byte[]>> again = new ArrayList<>(log);
        again.add(new ConsumerRecord<>(tp.topic(), tp.partition(), log.size(), site, LedgerJson.write(
                new OutboundDelivery(site, "T-1", february, "FAME", Quantity.of("30", Unit.M3), "haulier", "TRANSPORT", false,
                        List.of(), null, null)).getBytes(StandardCharsets.UTF_8)));
        Projector next = instance();
        next.assigned(List.of(tp));
        next.apply(batch(tp, again, log.size(), again.size()));
        next.stop();
        assertEquals(List.of(List.of("BOOKED", "FAME", 5L, "2025-02")),
                rows("SELECT status, product, event_seq, period_id FROM movement WHERE site_id = ? AND delivery_id = 'T-1'", site));
    }

    private Projector instance() {
        Projector projector = new Projector();
        projector.dataSource = dataSource;
        projector.metrics = metrics;
        projector.webhookUrls = Optional.empty();
        projector.dispatchViews = new DispatchViews(); // each instance its own, as each service instance has
        projector.meters();
        return projector;
    }

    /** Two months at one depot: boats in, trucks out (some beyond stock), January closed. */
    private static List<LedgerEvent> events(String site) {
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new SiteConfigured(site, "Depot", "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2025, 1), null,
                List.of(new SiteConfigured.ProductConfig("HVO", Unit.M3)), List.of(), null, null, null, null));
        events.add(new CertificateRegistered(site, "supplier", "C-1", "ISCC EU", LocalDate.of(2024, 1, 1), null, List.of()));
        for (int i = 0; i < 60; i++) {
            YearMonth month = i < 30 ? YearMonth.of(2025, 1) : YearMonth.of(2025, 2);
            if (i == 30) {
                events.add(new PeriodCloseRequested(site, YearMonth.of(2025, 1), "officer"));
            }
            OffsetDateTime at = month.atDay(1 + i % 28).atTime(10, 0).atOffset(java.time.ZoneOffset.ofHours(1));
            if (i % 6 == 0) {
                events.add(new InboundDelivery(site, "IN-" + i, at, "HVO", Quantity.of("100", Unit.M3), "supplier", "BL-" + i,
                        List.of(new BatchLine("B-" + i, new BigDecimal("100"), Characteristics.of("red-biofuel-v1",
                                Map.of("countryOfOrigin", "NL", "rawMaterial", "UCO", "proofOfSustainability", "PoS-" + i)))),
                        null, null));
            } else {
                String amount = String.valueOf(15 + i % 7);
                events.add(new OutboundDelivery(site, "OUT-" + i, at, "HVO", Quantity.of(amount, Unit.M3), "haulier", "TRANSPORT",
                        true, List.of(BatchLine.claim(amount)), null, null));
            }
        }
        return events;
    }

    private static List<ConsumerRecord<String, byte[]>> records(TopicPartition tp, List<LedgerEvent> events) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (LedgerEvent event : events) {
            records.add(new ConsumerRecord<>(tp.topic(), tp.partition(), records.size(), event.siteId(),
                    LedgerJson.write(event).getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static ConsumerRecords<String, byte[]> batch(TopicPartition tp, List<ConsumerRecord<String, byte[]>> log,
                                                         int from, int to) {
        return new ConsumerRecords<>(Map.of(tp, log.subList(from, to)), Map.of());
    }

    private long scalar(String sql, Object arg) throws SQLException {
        return ((Number) rows(sql, arg).get(0).get(0)).longValue();
    }

    private List<List<Object>> rows(String sql, Object arg) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, arg);
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.add(value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
