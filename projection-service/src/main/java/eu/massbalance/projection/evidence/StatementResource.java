package eu.massbalance.projection.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.Topics;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.api.Access;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Evidence that stands without the service: a closed period's statement (its results, the hash
 * chain head and the ledger topic position it was computed at) signed by the operator's key, and
 * that key's public half at a well-known address, so an auditor can check a statement with
 * nothing but the key.
 */
@Path("/api/v1/sites/{siteId}/periods/{periodId}/statement")
public class StatementResource {

    static final String TYPE = "massbalance.PeriodStatement.v1";

    @Inject
    Access access;

    @Inject
    StatementKey key;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Statements statements;

    @GET
    @Authenticated
    @Produces({"application/jose", MediaType.APPLICATION_JSON})
    @Operation(summary = "A closed period's signed statement (compact JWS, RS256)", description = "The payload holds the "
            + "period's results exactly as the balance endpoint gives them, the sequence number and hash chain head of the "
            + "close, and the ledger topic partition and offset of that event. Check it with the key published at "
            + "/.well-known/massbalance/statement-keys.json (its kid is the key's RFC 7638 thumbprint). 409 while the period "
            + "is open; 503 when the operator configured no key. Made once, shortly after the close, and kept: every download"
            + " is the same bytes.")
    public Response statement(@PathParam("siteId") String siteId, @PathParam("periodId") String periodId) {
        access.readerOf(siteId);
        if (!key.configured()) {
            return problem(503, "NO_STATEMENT_KEY", "No signing key is configured (MASSBALANCE_STATEMENT_KEY)");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(CLOSE + " WHERE b.site_id = ? AND b.period_id = ?")) {
            select.setString(1, siteId);
            select.setString(2, periodId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return problem(404, "PERIOD_UNKNOWN", "Site " + siteId + " has no period " + periodId);
                }
                if (!"CLOSED".equals(rs.getString(1))) {
                    return problem(409, "PERIOD_OPEN", "Period " + periodId + " is " + rs.getString(1) + "; a statement is made at its close");
                }
                String jws = statements.statement(siteId, periodId).orElseThrow(() -> new IllegalStateException("closed, yet unsigned"));
                return Response.ok(jws, "application/jose")
                        .header("Content-Disposition", "attachment; filename=\"" + siteId + "-" + periodId + "-statement.jws\"").build();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SQL whose row {@link #payload} reads: a period's balance and the journal row of its close. */
    static final String CLOSE = "SELECT b.status, b.seq, b.balance::text, j.hash, j.kafka_partition, j.kafka_offset, j.recorded_at,"
            + " b.period_id FROM period_balance b LEFT JOIN journal j ON j.site_id = b.site_id AND j.seq = b.seq";

    /** What a closed period's statement says, from a row of {@link #CLOSE}. */
    static Map<String, Object> payload(String siteId, String periodId, ResultSet rs) throws SQLException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", TYPE);
        payload.put("siteId", siteId);
        payload.put("periodId", periodId);
        payload.put("closedAtSeq", rs.getLong(2));
        payload.put("chainHead", rs.getString(4));
        payload.put("ledgerTopic", Topics.LEDGER);
        payload.put("ledgerPartition", rs.getInt(5));
        payload.put("ledgerOffset", rs.getLong(6));
        payload.put("closedAt", rs.getTimestamp(7).toInstant().toString());
        payload.put("result", LedgerJson.read(rs.getString(3), JsonNode.class));
        payload.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return payload;
    }

    static Response problem(int status, String code, String detail) {
        return Response.status(status).type("application/problem+json").entity(Map.of("status", status, "code", code, "detail", detail,
                "title", status == 404 ? "Not Found" : status == 409 ? "Conflict" : "Service Unavailable")).build();
    }
}
