package eu.massbalance.projection.store;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.engine.AuditSampler.Candidate;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an audit sample is drawn from, and the samples as drawn. A sample row is never changed or
 * removed (the service's database role may only add them, V9).
 */
@ApplicationScoped
public class AuditSamples {

    @Inject
    AgroalDataSource dataSource;

    /** The site's last log position, where a sample is drawn unless asked otherwise. */
    public long head(String siteId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM journal WHERE site_id = ?")) {
            s.setString(1, siteId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The movements booked in the period (by the period that booked them, as its results) up to
     * log position {@code asOfSeq}, pending and refused ones left out; with what makes each risky.
     * {@code periodEnd}: the first day after the period, for certificates that have lapsed by then.
     */
    public List<Candidate> candidates(String siteId, String periodId, long asOfSeq, LocalDate periodEnd) {
        try (Connection c = dataSource.getConnection()) {
            Set<String> linked = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT d FROM deviation, jsonb_array_elements_text(body -> 'deliveries') d"
                    + " WHERE site_id = ? UNION SELECT b ->> 'deliveryId' FROM deviation, jsonb_array_elements(body -> 'batches') b"
                    + " WHERE site_id = ?")) {
                s.setString(1, siteId);
                s.setString(2, siteId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        linked.add(rs.getString(1));
                    }
                }
            }
            Set<String> lapsed = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT event_type, payload FROM journal WHERE site_id = ? AND seq <= ?"
                    + " AND refusal_code IS NULL AND event_type IN ('CertificateRegistered', 'CertificateRevoked') ORDER BY seq")) {
                s.setString(1, siteId);
                s.setLong(2, asOfSeq);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        JsonNode event = LedgerJson.read(rs.getString(2), JsonNode.class);
                        boolean revoked = rs.getString(1).equals("CertificateRevoked");
                        String validTo = event.path("validTo").asText(null);
                        if (revoked || validTo != null && LocalDate.parse(validTo).isBefore(periodEnd)) {
                            lapsed.add(event.path("supplierId").asText());
                        }
                    }
                }
            }
            List<Candidate> candidates = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT m.delivery_id, m.seq, m.direction, m.product, m.quantity, m.late,"
                    + " j.payload::jsonb ->> 'supplierId' FROM movement m JOIN journal j ON j.site_id = m.site_id AND j.seq = m.event_seq"
                    + " WHERE m.site_id = ? AND m.period_id = ? AND m.seq <= ? AND m.status NOT IN ('PENDING', 'REFUSED') ORDER BY m.seq")) {
                s.setString(1, siteId);
                s.setString(2, periodId);
                s.setLong(3, asOfSeq);
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String supplier = rs.getString(7);
                        candidates.add(new Candidate(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getBigDecimal(5).stripTrailingZeros(), rs.getBoolean(6), linked.contains(rs.getString(1)),
                                supplier != null && lapsed.contains(supplier)));
                    }
                }
            }
            return candidates;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void save(String sampleId, String siteId, String periodId, Instant drawnAt, String drawnBy, String body) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO audit_sample (sample_id, site_id, period_id, drawn_at, drawn_by, body)"
                     + " VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
            s.setString(1, sampleId);
            s.setString(2, siteId);
            s.setString(3, periodId);
            s.setTimestamp(4, Timestamp.from(drawnAt));
            s.setString(5, drawnBy);
            s.setString(6, body);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<JsonNode> find(String siteId, String sampleId) {
        return list(siteId, sampleId).stream().findFirst();
    }

    /** The site's samples, newest first. */
    public List<JsonNode> list(String siteId) {
        return list(siteId, null);
    }

    private List<JsonNode> list(String siteId, String sampleId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT body::text FROM audit_sample WHERE site_id = ?"
                     + (sampleId == null ? "" : " AND sample_id = ?") + " ORDER BY drawn_at DESC, sample_id LIMIT 500")) {
            s.setString(1, siteId);
            if (sampleId != null) {
                s.setString(2, sampleId);
            }
            List<JsonNode> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(LedgerJson.read(rs.getString(1), JsonNode.class));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
