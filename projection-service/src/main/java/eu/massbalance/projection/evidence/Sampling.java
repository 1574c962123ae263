package eu.massbalance.projection.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.engine.AuditSampler;
import eu.massbalance.projection.store.AuditSamples;
import eu.massbalance.projection.store.ReadModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Draws an audit sample and records it with its seed, its log position and who drew it, so
 * that the same request gives the same movements and anyone can redraw it from the export.
 */
@ApplicationScoped
public class Sampling {

    public static final int MAX_SIZE = 1000;
    /** Seeds stay below 2^53, so that they survive every JSON reader unchanged. */
    static final long MAX_SEED = (1L << 53) - 1;

    @Inject
    AuditSamples samples;

    @Inject
    ReadModels read;

    private final Clock clock = Clock.systemUTC();

    private final SecureRandom random = new SecureRandom();

    /** What is asked for: the period, how many, the seed (drawn when absent), weighted by risk, at which log position. */
    public record Request(String periodId, Integer size, Long seed, Boolean weighted, Long asOfSeq) {
    }

    public JsonNode draw(String siteId, Request request, Principal caller) {
        if (request == null) {
            throw new BadRequestException("A body with periodId and size is required");
        }
        YearMonth period;
        try {
            period = YearMonth.parse(request.periodId() == null ? "" : request.periodId());
        } catch (DateTimeParseException e) {
            throw new BadRequestException("periodId: the period's first month, YYYY-MM");
        }
        if (request.size() == null || request.size() < 1 || request.size() > MAX_SIZE) {
            throw new BadRequestException("size: from 1 to " + MAX_SIZE);
        }
        if (request.seed() != null && (request.seed() < 0 || request.seed() > MAX_SEED)) {
            throw new BadRequestException("seed: from 0 to " + MAX_SEED);
        }
        if (request.asOfSeq() != null && request.asOfSeq() < 0) {
            throw new BadRequestException("asOfSeq: a log position, 0 or more");
        }
        int months = read.configuration(siteId).orElseThrow(() -> new NotFoundException("Site " + siteId + " is unknown")).periodMonths();
        if (read.balance(siteId, period.toString()).isEmpty()) {
            throw new NotFoundException("Site " + siteId + " has no period " + period);
        }
        long head = samples.head(siteId);
        long asOf = request.asOfSeq() == null ? head : Math.min(request.asOfSeq(), head);
        long seed = request.seed() != null ? request.seed() : random.nextLong() & MAX_SEED;
        boolean weighted = Boolean.TRUE.equals(request.weighted());
        List<AuditSampler.Candidate> candidates = samples.candidates(siteId, period.toString(), asOf,
                period.plusMonths(months).atDay(1));
        List<AuditSampler.Drawn> drawn = AuditSampler.draw(candidates, request.size(), seed, weighted);

        String sampleId = UUID.randomUUID().toString();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sampleId", sampleId);
        body.put("siteId", siteId);
        body.put("periodId", period.toString());
        body.put("seed", seed);
        body.put("size", request.size());
        body.put("weighted", weighted);
        body.put("asOfSeq", asOf);
        body.put("candidates", candidates.size());
        body.put("method", "u = (first 53 bits of SHA-256(\"seed|deliveryId|seq\") + 0.5) / 2^53; key = ln(u) / weight;"
                + " the largest keys, ties by lower seq. weight = 1" + (weighted ? " + the weights of the movement's risks "
                + risks() : ""));
        body.put("drawnBy", caller.actor());
        body.put("drawnAt", now.toString());
        body.put("items", drawn);
        String json = LedgerJson.write(body);
        samples.save(sampleId, siteId, period.toString(), now, caller.actor(), json);
        return LedgerJson.read(json, JsonNode.class);
    }

    private static String risks() {
        StringBuilder text = new StringBuilder("(");
        for (AuditSampler.Risk r : AuditSampler.Risk.values()) {
            text.append(text.length() > 1 ? ", " : "").append(r.name()).append(' ').append(r.weight());
        }
        return text.append(')').toString();
    }
}
