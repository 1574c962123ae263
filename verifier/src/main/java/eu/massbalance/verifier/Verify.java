package eu.massbalance.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.json.LedgerJson;
import eu.massbalance.projection.engine.PeriodResult;
import eu.massbalance.projection.engine.SiteLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a site's journal export offline, trusting nothing but the operator's published statement
 * key: {@code java -jar massbalance-verifier.jar <export.ndjson> <statement-keys.json>}.
 *
 * <ol>
 * <li><b>Chain</b>: the events are numbered 1, 2, 3 … without a gap, each belongs to the site, and
 * {@code h_n = SHA-256(h_{n-1} || UTF-8(payload_n))} from 32 zero bytes gives every line's hash.</li>
 * <li><b>Statements</b>: each is a JWS (RS256) that verifies with a key of the set, for this site and
 * its period, naming the chain hash and the ledger position of the event it was closed at.</li>
 * <li><b>Replay</b>: the events, applied through the engine in order up to each statement's close,
 * give exactly the signed period results.</li>
 * </ol>
 *
 * Exit status 0 when everything holds, 1 when a check fails (the report says which and where), 2
 * when the files cannot be read.
 */
public final class Verify {

    static final String EXPORT_TYPE = "massbalance.JournalExport.v1";
    static final String STATEMENT_TYPE = "massbalance.PeriodStatement.v1";

    private Verify() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** One event line of the export. */
    record Event(long seq, String eventType, int partition, long offset, String hash, String payload) {
    }

    /** One statement line: its period and the compact JWS. */
    record Statement(String periodId, String jws) {
    }

    static int run(String[] args, PrintStream out) {
        if (args.length != 2) {
            out.println("usage: java -jar massbalance-verifier.jar <export.ndjson> <statement-keys.json>");
            return 2;
        }
        String siteId;
        List<Event> events = new ArrayList<>();
        List<Statement> statements = new ArrayList<>();
        Map<String, PublicKey> keys;
        try {
            List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
            JsonNode head = lines.isEmpty() ? null : LedgerJson.mapper().readTree(lines.get(0));
            if (head == null || !EXPORT_TYPE.equals(head.path("type").asText())) {
                out.println("FAIL not a journal export: its first line is not of type " + EXPORT_TYPE);
                return 1;
            }
            siteId = head.path("siteId").asText();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = LedgerJson.mapper().readTree(line);
                if ("event".equals(node.path("kind").asText())) {
                    events.add(new Event(node.path("seq").asLong(), node.path("eventType").asText(), node.path("ledgerPartition").asInt(),
                            node.path("ledgerOffset").asLong(), node.path("hash").asText(), node.path("payload").asText()));
                } else if ("statement".equals(node.path("kind").asText())) {
                    statements.add(new Statement(node.path("periodId").asText(), node.path("jws").asText()));
                }
            }
            keys = keys(LedgerJson.mapper().readTree(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            out.println("cannot read the files: " + e.getMessage());
            return 2;
        }
        out.println("site " + siteId + ": " + events.size() + " events, " + statements.size() + " statements, " + keys.size() + " keys");
        boolean ok = chain(siteId, events, out);
        Map<Long, Event> bySeq = new HashMap<>();
        events.forEach(e -> bySeq.put(e.seq(), e));
        Map<Long, List<String>> replayAt = new HashMap<>();
        Map<String, JsonNode> signed = new HashMap<>();
        for (Statement s : statements) {
            Optional<JsonNode> payload = statement(siteId, s, keys, bySeq, out);
            if (payload.isEmpty()) {
                ok = false;
                continue;
            }
            replayAt.computeIfAbsent(payload.get().path("closedAtSeq").asLong(), seq -> new ArrayList<>()).add(s.periodId());
            signed.put(s.periodId(), payload.get().path("result"));
        }
        ok &= replay(siteId, events, replayAt, signed, out);
        out.println(ok ? "VERIFIED" : "NOT VERIFIED");
        return ok ? 0 : 1;
    }

    /** The chain: every event numbered in turn, of this site, and hashed onto the one before. */
    static boolean chain(String siteId, List<Event> events, PrintStream out) {
        byte[] head = new byte[32];
        long expected = 1;
        for (Event e : events) {
            if (e.seq() != expected) {
                out.println("FAIL chain: event " + expected + " is missing (the next line is event " + e.seq() + ")");
                return false;
            }
            try {
                String site = LedgerJson.mapper().readTree(e.payload()).path("siteId").asText(null);
                if (site != null && !site.equals(siteId)) {
                    out.println("FAIL chain: event " + e.seq() + " belongs to site " + site);
                    return false;
                }
            } catch (IOException notJson) {
                // an event that was not JSON on the log is journaled as it was; its hash still covers it
            }
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException x) {
                throw new IllegalStateException(x);
            }
            sha.update(head);
            head = sha.digest(e.payload().getBytes(StandardCharsets.UTF_8));
            if (!HexFormat.of().formatHex(head).equals(e.hash())) {
                out.println("FAIL chain: event " + e.seq() + " does not hash to its recorded hash: its payload or an earlier one"
                        + " was changed");
                return false;
            }
            expected++;
        }
        out.println("ok   chain: " + events.size() + " events, head " + (events.isEmpty() ? "-" : HexFormat.of().formatHex(head)));
        return true;
    }

    /** A statement's signature, site, period, chain head and ledger position; its payload when all hold. */
    static Optional<JsonNode> statement(String siteId, Statement s, Map<String, PublicKey> keys, Map<Long, Event> bySeq, PrintStream out) {
        String what = "statement " + s.periodId() + ": ";
        String[] parts = s.jws().split("\\.", -1);
        if (parts.length != 3) {
            out.println("FAIL " + what + "not a compact JWS");
            return Optional.empty();
        }
        JsonNode header;
        JsonNode payload;
        try {
            header = LedgerJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
            payload = LedgerJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            out.println("FAIL " + what + "its header or payload is not base64url JSON");
            return Optional.empty();
        }
        PublicKey key = keys.get(header.path("kid").asText());
        if (!"RS256".equals(header.path("alg").asText()) || key == null) {
            out.println("FAIL " + what + "signed with " + header.path("alg").asText() + " under key " + header.path("kid").asText()
                    + ", which is not an RS256 key of the set");
            return Optional.empty();
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                out.println("FAIL " + what + "the signature does not verify: the statement was changed or not signed by this key");
                return Optional.empty();
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            out.println("FAIL " + what + "the signature cannot be checked: " + e.getMessage());
            return Optional.empty();
        }
        if (!STATEMENT_TYPE.equals(payload.path("type").asText()) || !siteId.equals(payload.path("siteId").asText())
                || !s.periodId().equals(payload.path("periodId").asText())) {
            out.println("FAIL " + what + "signed for " + payload.path("siteId").asText() + " " + payload.path("periodId").asText()
                    + ", not for this site and period");
            return Optional.empty();
        }
        long closedAt = payload.path("closedAtSeq").asLong();
        Event close = bySeq.get(closedAt);
        if (close == null || !close.hash().equals(payload.path("chainHead").asText())) {
            out.println("FAIL " + what + "its chain head at event " + closedAt + " is not the export's");
            return Optional.empty();
        }
        if (close.partition() != payload.path("ledgerPartition").asInt() || close.offset() != payload.path("ledgerOffset").asLong()) {
            out.println("FAIL " + what + "its ledger position is not that of event " + closedAt);
            return Optional.empty();
        }
        out.println("ok   " + what + "signature (key " + header.path("kid").asText() + "), chain head and ledger position at event "
                + closedAt);
        return Optional.of(payload);
    }

    /** The events through the engine, in order; at each statement's close, the period's results against the signed ones. */
    static boolean replay(String siteId, List<Event> events, Map<Long, List<String>> replayAt, Map<String, JsonNode> signed,
                          PrintStream out) {
        SiteLedger ledger = new SiteLedger(siteId);
        boolean ok = true;
        int checked = 0;
        for (Event e : events) {
            LedgerEvent event;
            try {
                event = LedgerJson.readEvent(e.payload());
            } catch (RuntimeException unreadable) {
                event = null; // applied as what it was on the log: an event the engine refuses
            }
            ledger.apply(event);
            for (String periodId : replayAt.getOrDefault(e.seq(), List.of())) {
                Optional<PeriodResult> result = ledger.balance(YearMonth.parse(periodId));
                JsonNode replayed = result.map(r -> LedgerJson.mapper().valueToTree(r)).map(JsonNode.class::cast).orElse(null);
                JsonNode expected = normalised(signed.get(periodId));
                if (replayed == null || !normalised(replayed).equals(expected)) {
                    out.println("FAIL replay " + periodId + ": the events replayed up to event " + e.seq() + " do not give the signed"
                            + " results" + (replayed == null ? " (no such period)" : difference(expected, normalised(replayed))));
                    ok = false;
                } else {
                    out.println("ok   replay " + periodId + ": the events up to " + e.seq() + " give the signed results");
                }
                checked++;
            }
        }
        if (checked < replayAt.values().stream().mapToInt(List::size).sum()) {
            out.println("FAIL replay: a statement names an event the export does not hold");
            ok = false;
        }
        return ok;
    }

    /** The same JSON as text and back, so that both sides compare with the same number and text types. */
    private static JsonNode normalised(JsonNode node) {
        try {
            return node == null ? null : LedgerJson.mapper().readTree(LedgerJson.mapper().writeValueAsString(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first field where two results differ, for the report. */
    static String difference(JsonNode expected, JsonNode actual) {
        if (expected == null || actual == null) {
            return "";
        }
        if (expected.isContainerNode() && actual.isContainerNode()) {
            var names = expected.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!expected.get(name).equals(actual.get(name))) {
                    String deeper = difference(expected.get(name), actual.get(name));
                    return " at " + name + (deeper.startsWith(" at [") ? deeper.substring(4)
                            : deeper.startsWith(" at ") ? "." + deeper.substring(4) : deeper);
                }
            }
            for (int i = 0; expected.isArray() && i < expected.size(); i++) {
                if (!expected.get(i).equals(actual.get(i))) {
                    String deeper = difference(expected.get(i), actual.get(i));
                    return " at [" + i + "]" + (deeper.startsWith(" at ") ? "." + deeper.substring(4) : deeper);
                }
            }
            return "";
        }
        return ": signed " + expected + ", replayed " + actual;
    }

    /** The RSA keys of a JWK Set, by key id. */
    static Map<String, PublicKey> keys(JsonNode set) throws IOException {
        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonNode jwk : set.path("keys")) {
            if (!"RSA".equals(jwk.path("kty").asText())) {
                continue;
            }
            try {
                BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText()));
                BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()));
                keys.put(jwk.path("kid").asText(), KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
            } catch (GeneralSecurityException | IllegalArgumentException ex) {
                throw new IOException("key " + jwk.path("kid").asText() + " is not an RSA public key", ex);
            }
        }
        return keys;
    }
}
