package eu.massbalance.projection.store;

import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.engine.HashChain;
import eu.massbalance.projection.engine.RefusalCode;
import eu.massbalance.projection.engine.SiteLedger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The in-memory state of the partitions an instance owns (each site's engine and hash chain) and
 * where it comes from: rebuilt from the journal, resumed from the stored offsets, which a batch's
 * transaction locks, checks and moves on together with its rows.
 */
final class PartitionStates {

    private static final Logger LOG = Logger.getLogger(PartitionStates.class);

    private PartitionStates() {
    }

    static final class SiteState {
        final SiteLedger ledger;
        final HashChain chain;

        SiteState(SiteLedger ledger, HashChain chain) {
            this.ledger = ledger;
            this.chain = chain;
        }
    }

    static final class PartitionState {
        final Map<String, SiteState> sites = new HashMap<>();
        long nextOffset;
    }

    static long storedOffset(Connection c, TopicPartition tp) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT next_offset FROM consumer_offset WHERE topic = ? AND kafka_partition = ?")) {
            select.setString(1, tp.topic());
            select.setInt(2, tp.partition());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    /** Rebuilds the in-memory state of one partition's sites from the journal. */
    static PartitionState load(Connection c, int partition, long nextOffset) throws SQLException {
        PartitionState state = new PartitionState();
        state.nextOffset = nextOffset;
        long events = 0;
        Map<String, String> heads = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT j.site_id, j.payload, j.hash, j.refusal_code, j.refusal_message"
                + " FROM site_partition s JOIN journal j ON j.site_id = s.site_id WHERE s.kafka_partition = ? ORDER BY j.site_id, j.seq")) {
            select.setInt(1, partition);
            select.setFetchSize(5000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String siteId = rs.getString(1);
                    SiteLedger ledger = state.sites.computeIfAbsent(siteId, id -> new SiteState(new SiteLedger(id), new HashChain()))
                            .ledger;
                    LedgerEvent event = parse(rs.getString(2));
                    if (RefusalCode.EVENT_UNPROCESSABLE.name().equals(rs.getString(4))) {
                        ledger.setAside(event, rs.getString(5)); // as when it was first met: nothing applied
                    } else {
                        ledger.apply(event);
                    }
                    heads.put(siteId, rs.getString(3));
                    events++;
                }
            }
        }
        heads.forEach((siteId, head) -> state.sites.put(siteId,
                new SiteState(state.sites.get(siteId).ledger, new HashChain(HexFormat.of().parseHex(head)))));
        LOG.infof("Partition %d: %d sites loaded from %d journal events; resuming at offset %d", partition,
                state.sites.size(), events, nextOffset);
        return state;
    }

    static LedgerEvent parse(String payload) {
        try {
            return LedgerJson.readEvent(payload);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static LedgerEvent parse(byte[] payload) {
        try {
            return LedgerJson.readEvent(payload);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Locks the partitions' offset rows, so two instances in a rebalance never apply the same records. */
    static Map<TopicPartition, Long> lockOffsets(Connection c, Set<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> next = new HashMap<>();
        try (PreparedStatement ensure = c.prepareStatement(
                "INSERT INTO consumer_offset (topic, kafka_partition, next_offset) VALUES (?, ?, 0) ON CONFLICT DO NOTHING");
             PreparedStatement lock = c.prepareStatement(
                     "SELECT next_offset FROM consumer_offset WHERE topic = ? AND kafka_partition = ? FOR UPDATE")) {
            for (TopicPartition tp : partitions.stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList()) {
                ensure.setString(1, tp.topic());
                ensure.setInt(2, tp.partition());
                ensure.executeUpdate();
                lock.setString(1, tp.topic());
                lock.setInt(2, tp.partition());
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    next.put(tp, rs.getLong(1));
                }
            }
        }
        return next;
    }

    static void saveOffsets(Connection c, Map<TopicPartition, Long> next) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE consumer_offset SET next_offset = ? WHERE topic = ? AND kafka_partition = ?")) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                update.setLong(1, e.getValue());
                update.setString(2, e.getKey().topic());
                update.setInt(3, e.getKey().partition());
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
