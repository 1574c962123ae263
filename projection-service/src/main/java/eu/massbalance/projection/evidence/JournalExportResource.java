package eu.massbalance.projection.evidence;

import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.api.Access;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A site's journal as a file an auditor takes home: every event with its exact payload text and
 * chain hash, then each closed period's signed statement. Checking it needs no trust in this
 * service: {@code h_n = SHA-256(h_{n-1} || UTF-8(payload_n))} from 32 zero bytes must give each
 * line's hash, and the statements verify with the published key and name a chain head of the file.
 */
@Path("/api/v1/sites/{siteId}/journal/export")
public class JournalExportResource {

    static final String TYPE = "massbalance.JournalExport.v1";

    @Inject
    Access access;

    @Inject
    StatementKey key;

    @Inject
    AgroalDataSource dataSource;

    @GET
    @Authenticated
    @Produces("application/x-ndjson")
    @Operation(summary = "Export a site's journal with its chain hashes and signed period statements (NDJSON)",
            description = "Line 1 describes the file. Then one line per event in log order (seq, eventId, eventType, recordedAt,"
                    + " ledger partition and offset, hash, refusalCode, and payload: the exact text the hash covers). Then one line"
                    + " per closed period with its statement (a JWS; omitted when no key is configured). For a reader of the site.")
    public Response export(@PathParam("siteId") String siteId) {
        access.readerOf(siteId);
        StreamingOutput body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (var s = c.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"); // one snapshot: events and statements agree
                }
                Map<String, Object> head = new LinkedHashMap<>();
                head.put("type", TYPE);
                head.put("siteId", siteId);
                head.put("exportedAt", Instant.now().toString());
                head.put("hashChain", "h_n = SHA-256(h_{n-1} || UTF-8(payload_n)), h_0 = 32 zero bytes");
                head.put("statementKeys", "/.well-known/massbalance/statement-keys.json");
                line(writer, head);
                try (PreparedStatement select = c.prepareStatement("SELECT seq, event_id, event_type, recorded_at, kafka_partition,"
                        + " kafka_offset, hash, refusal_code, payload FROM journal WHERE site_id = ? ORDER BY seq")) {
                    select.setString(1, siteId);
                    select.setFetchSize(1000);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            Map<String, Object> event = new LinkedHashMap<>();
                            event.put("kind", "event");
                            event.put("seq", rs.getLong(1));
                            event.put("eventId", rs.getString(2));
                            event.put("eventType", rs.getString(3));
                            event.put("recordedAt", rs.getTimestamp(4).toInstant().toString());
                            event.put("ledgerPartition", rs.getInt(5));
                            event.put("ledgerOffset", rs.getLong(6));
                            event.put("hash", rs.getString(7));
                            event.put("refusalCode", rs.getString(8));
                            event.put("payload", rs.getString(9));
                            line(writer, event);
                        }
                    }
                }
                if (key.configured()) {
                    Map<String, String> issued = new java.util.HashMap<>();
                    try (PreparedStatement select = c.prepareStatement("SELECT period_id, jws FROM period_statement WHERE site_id = ?")) {
                        select.setString(1, siteId);
                        try (ResultSet rs = select.executeQuery()) {
                            while (rs.next()) {
                                issued.put(rs.getString(1), rs.getString(2));
                            }
                        }
                    }
                    try (PreparedStatement select = c.prepareStatement(StatementResource.CLOSE
                            + " WHERE b.site_id = ? AND b.status = 'CLOSED' ORDER BY b.period_id")) {
                        select.setString(1, siteId);
                        try (ResultSet rs = select.executeQuery()) {
                            while (rs.next()) {
                                String periodId = rs.getString(8);
                                Map<String, Object> statement = new LinkedHashMap<>();
                                statement.put("kind", "statement");
                                statement.put("periodId", periodId);
                                // the statement made at the close; one not yet made is signed here (and made for good later)
                                statement.put("jws", issued.containsKey(periodId) ? issued.get(periodId)
                                        : key.sign(LedgerJson.write(StatementResource.payload(siteId, periodId, rs))));
                                line(writer, statement);
                            }
                        }
                    }
                }
                c.rollback();
            } catch (SQLException e) {
                throw new UncheckedIOException(new java.io.IOException("The export could not be read", e));
            }
            writer.flush();
        };
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"" + siteId + "-journal.ndjson\"").build();
    }

    private static void line(BufferedWriter writer, Map<String, Object> value) throws java.io.IOException {
        writer.write(LedgerJson.write(value));
        writer.write('\n');
    }
}
