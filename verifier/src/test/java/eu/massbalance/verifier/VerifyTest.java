package eu.massbalance.verifier;

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
import eu.massbalance.projection.engine.SiteLedger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier's checks on a small export written here by the documented format (the system test
 * {@code Figure8EndToEndTest} runs the packaged jar on a real export of the services). Given an
 * intact export it says VERIFIED; each kind of tampering is found and named.
 */
class VerifyTest {

    static final String SITE = "depot-1";
    static KeyPair operator;
    static KeyPair stranger;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        operator = rsa.generateKeyPair();
        stranger = rsa.generateKeyPair();
    }

    static List<LedgerEvent> january() {
        return List.of(
                new SiteConfigured(SITE, "Depot", "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2025, 1), null,
                        List.of(new SiteConfigured.ProductConfig("HVO", Unit.M3)), List.of(), null, null, null, null),
                new CertificateRegistered(SITE, "supplier", "C-1", "ISCC EU", LocalDate.of(2024, 1, 1), null, List.of(), null),
                new InboundDelivery(SITE, "I1", OffsetDateTime.parse("2025-01-03T10:00:00+01:00"), "HVO", Quantity.of("10", Unit.M3),
                        "supplier", "CMR-1", List.of(new BatchLine("A", new BigDecimal("10"), Characteristics.of("red-biofuel-v1",
                        Map.of("countryOfOrigin", "NL", "rawMaterial", "UCO", "proofOfSustainability", "PoS-1")))), null, null),
                new OutboundDelivery(SITE, "O1", OffsetDateTime.parse("2025-01-05T10:00:00+01:00"), "HVO", Quantity.of("12", Unit.M3),
                        "haulier", "TRANSPORT", true, List.of(BatchLine.claim("12")), null, null),
                new PeriodCloseRequested(SITE, YearMonth.of(2025, 1), "officer"));
    }

    /** An export as the service writes it; {@code result} may change the signed results before signing. */
    List<String> export(KeyPair signer, UnaryOperator<Map<String, Object>> result) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("{\"type\":\"massbalance.JournalExport.v1\",\"siteId\":\"" + SITE + "\"}");
        byte[] head = new byte[32];
        SiteLedger ledger = new SiteLedger(SITE);
        long seq = 0;
        for (LedgerEvent event : january()) {
            seq++;
            String payload = LedgerJson.write(event);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(head);
            head = sha.digest(payload.getBytes(StandardCharsets.UTF_8));
            ledger.apply(event);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("kind", "event");
            line.put("seq", seq);
            line.put("eventType", event.getClass().getSimpleName());
            line.put("ledgerPartition", 2);
            line.put("ledgerOffset", 100 + seq);
            line.put("hash", HexFormat.of().formatHex(head));
            line.put("payload", payload);
            lines.add(LedgerJson.write(line));
        }
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("type", "massbalance.PeriodStatement.v1");
        statement.put("siteId", SITE);
        statement.put("periodId", "2025-01");
        statement.put("closedAtSeq", seq);
        statement.put("chainHead", HexFormat.of().formatHex(head));
        statement.put("ledgerPartition", 2);
        statement.put("ledgerOffset", 100 + seq);
        @SuppressWarnings("unchecked")
        Map<String, Object> signed = result.apply(LedgerJson.mapper().convertValue(ledger.balance(YearMonth.of(2025, 1)).orElseThrow(),
                Map.class));
        statement.put("result", signed);
        lines.add("{\"kind\":\"statement\",\"periodId\":\"2025-01\",\"jws\":\"" + jws(LedgerJson.write(statement), signer) + "\"}");
        return lines;
    }

    static String jws(String payload, KeyPair signer) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(signer.getPrivate());
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(rsa.sign());
    }

    String verify(List<String> export) throws Exception {
        Path file = dir.resolve("export.ndjson");
        Files.write(file, export, StandardCharsets.UTF_8);
        RSAPublicKey key = (RSAPublicKey) operator.getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"" + b64.encodeToString(unsigned(key.getModulus()))
                + "\",\"e\":\"" + b64.encodeToString(unsigned(key.getPublicExponent())) + "\"}]}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Verify.run(new String[] {file.toString(), keys.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        return status + "\n" + report;
    }

    static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    @Test
    void an_intact_export_is_verified_chain_signature_and_replay() throws Exception {
        String report = verify(export(operator, r -> r));
        assertTrue(report.startsWith("0\n") && report.contains("ok   replay 2025-01") && report.endsWith("VERIFIED\n"), report);
    }

    @Test
    void a_changed_payload_breaks_the_chain_at_its_event() throws Exception {
        List<String> export = export(operator, r -> r);
        export.set(3, export.get(3).replace("\\\"10\\\"", "\\\"100\\\""));
        String report = verify(export);
        assertTrue(report.startsWith("1\n") && report.contains("FAIL chain: event 3 does not hash"), report);
    }

    @Test
    void a_missing_event_is_named() throws Exception {
        List<String> export = export(operator, r -> r);
        export.remove(2);
        assertTrue(verify(export).contains("FAIL chain: event 2 is missing"));
    }

    @Test
    void a_statement_signed_by_another_key_or_changed_after_signing_is_refused() throws Exception {
        assertTrue(verify(export(stranger, r -> r)).contains("FAIL statement 2025-01: the signature does not verify"));
        List<String> export = export(operator, r -> r);
        String line = export.get(export.size() - 1);
        String[] jws = line.substring(line.indexOf("\"jws\":\"") + 7, line.lastIndexOf('"')).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(jws[1]), StandardCharsets.UTF_8).replace("2025-01", "2025-02");
        String changed = jws[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + jws[2];
        export.set(export.size() - 1, line.replace(String.join(".", jws), changed));
        String report = verify(export);
        assertTrue(report.startsWith("1\n") && report.contains("the signature does not verify"), report);
    }

    @Test
    void results_signed_by_the_key_but_not_what_the_events_give_fail_the_replay() throws Exception {
        String report = verify(export(operator, r -> {
            Map<String, Object> changed = new LinkedHashMap<>(r);
            changed.put("periodId", "2025-01");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> products = new ArrayList<>((List<Map<String, Object>>) r.get("products"));
            Map<String, Object> hvo = new LinkedHashMap<>(products.get(0));
            hvo.put("uncovered", "0");
            products.set(0, hvo);
            changed.put("products", products);
            return changed;
        }));
        assertTrue(report.startsWith("1\n") && report.contains("ok   statement 2025-01: signature")
                && report.contains("FAIL replay 2025-01") && report.contains("uncovered"), report);
    }

    @Test
    void files_that_cannot_be_read_say_so_with_status_2() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(2, Verify.run(new String[] {dir.resolve("none").toString(), dir.resolve("none").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertEquals(2, Verify.run(new String[] {}, new PrintStream(out, true, StandardCharsets.UTF_8)));
    }
}
