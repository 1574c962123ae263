package eu.massbalance.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.example.Figure8;
import eu.massbalance.contracts.json.LedgerJson;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The guidance's Figure 8 through the whole system: the deliveries posted to ledger-service over
 * REST, January closed, and the projection's balance endpoints show exactly the figures of rules.md.
 */
class Figure8EndToEndTest extends SystemTest {


    static String delivery(String site, Figure8.Row row) {
        return LedgerJson.write(Figure8.erpDelivery(site, row));
    }

    static JsonNode json(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return LedgerJson.read(response.body(), JsonNode.class);
    }

    static JsonNode batch(JsonNode product, String batchId) {
        for (JsonNode b : product.path("batches")) {
            if (b.path("batchId").asText().equals(batchId)) {
                return b;
            }
        }
        return null;
    }

    static void assertAmount(String expected, JsonNode value) {
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(value.asText())), () -> "expected " + expected + " got " + value);
    }

    @Test
    void january_per_batch_and_february_opening_exactly_as_in_the_guidance_and_verified_offline() throws Exception {
        String site = "figure8-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, system.put(system.ledger, "/api/v1/sites/" + site, """
                {"name": "Grain reception", "operator": "556677-8899", "periodMonths": 1, "firstPeriod": "2019-01",
                 "products": [{"product": "WHEAT", "unit": "t"}], "autoCloseAfterDays": null}""").statusCode());
        assertEquals(200, system.put(system.ledger, "/api/v1/suppliers/" + Figure8.SUPPLIER + "/certificates/SE-" + site, """
                {"scheme": "national decision", "validFrom": "2018-01-01", "validTo": null}""").statusCode());
        List<String> january = Figure8.january().stream().map(row -> delivery(site, row)).toList();
        HttpResponse<String> batch = system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries:batch",
                "{\"deliveries\": [" + String.join(",", january) + "]}");
        assertEquals(202, batch.statusCode(), batch.body());
        assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + site + "/periods/2019-01/close", "").statusCode());
        for (String delivery : Figure8.february().stream().map(row -> delivery(site, row)).toList()) {
            assertEquals(202, system.post(system.ledger, "/api/v1/sites/" + site + "/deliveries", delivery).statusCode());
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> feb = system.get(system.projection, "/api/v1/sites/" + site + "/periods/2019-02/balance");
            return feb.statusCode() == 200 && batch(json(feb).path("products").get(0), "004") != null;
        });
        JsonNode jan = json(system.get(system.projection, "/api/v1/sites/" + site + "/periods/2019-01/balance"));
        assertEquals("CLOSED", jan.path("status").asText());
        JsonNode wheat = jan.path("products").get(0);
        assertAmount("1600", wheat.path("in"));
        assertAmount("1000", wheat.path("out"));
        assertAmount("600", wheat.path("closing"));
        assertAmount("0", wheat.path("uncovered"));
        assertAmount("0", batch(wheat, "001").path("closing"));
        assertAmount("400", batch(wheat, "002").path("closing"));
        assertAmount("200", batch(wheat, "003").path("closing"));

        JsonNode feb = json(system.get(system.projection, "/api/v1/sites/" + site + "/periods/2019-02/balance")).path("products").get(0);
        assertAmount("400", batch(feb, "002").path("opening"));
        assertAmount("200", batch(feb, "003").path("opening"));
        assertEquals("DK", batch(feb, "002").path("characteristics").path("countryOfOrigin").asText());
        assertEquals("300", batch(feb, "002").path("characteristics").path("ghgEmissions").path("amount").asText());
        assertEquals("DE", batch(feb, "003").path("characteristics").path("countryOfOrigin").asText());
        assertTrue(batch(feb, "001") == null, "no February line for batch 001");
        assertAmount("1100", new com.fasterxml.jackson.databind.node.TextNode(
                new BigDecimal(feb.path("opening").asText()).add(new BigDecimal(feb.path("in").asText())).toPlainString()));
        assertAmount("500", batch(feb, "004").path("in"));

        JsonNode deviations = json(system.get(system.projection, "/api/v1/deviations?siteId=" + site));
        assertEquals(0, deviations.path("items").size(), deviations.toString());
        JsonNode periods = json(system.get(system.projection, "/api/v1/sites/" + site + "/periods")).path("items");
        List<String> statuses = new ArrayList<>();
        periods.forEach(p -> statuses.add(p.path("periodId").asText() + "=" + p.path("status").asText()));
        assertEquals(List.of("2019-01=CLOSED", "2019-02=OPEN"), statuses);
        assertFalse(json(system.get(system.projection, "/api/v1/sites/" + site + "/stock")).isEmpty());

        verifiedOffline(site);
    }

    /**
     * The site's journal export and the published statement key, checked by the offline verifier's
     * jar in a JVM of its own (nothing but a JDK): verified as exported; a changed figure in an
     * event is found at its event; a statement whose results the events do not give is refused.
     */
    void verifiedOffline(String site) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(SystemUnderTest.REPOSITORY.resolve("deploy/system-tests/target"),
                "verifier-");
        HttpResponse<String> export = system.get(system.projection, "/api/v1/sites/" + site + "/journal/export");
        assertEquals(200, export.statusCode(), export.body());
        HttpResponse<String> keys = system.get(system.projection, "/.well-known/massbalance/statement-keys.json");
        assertEquals(200, keys.statusCode(), keys.body());
        java.nio.file.Path exportFile = java.nio.file.Files.writeString(dir.resolve("export.ndjson"), export.body());
        java.nio.file.Path keyFile = java.nio.file.Files.writeString(dir.resolve("keys.json"), keys.body());

        String report = verifier(exportFile, keyFile, 0);
        assertTrue(report.contains("ok   statement 2019-01") && report.contains("ok   replay 2019-01"), report);

        // one figure of an event changed: the chain breaks at that event
        List<String> lines = new ArrayList<>(java.nio.file.Files.readAllLines(exportFile));
        // line 0 describes the file; the first event with an amount (the site's certificates may come before it)
        java.util.regex.Pattern amountPattern = java.util.regex.Pattern.compile("\\\\\"amount\\\\\":\\\\\"(\\d)");
        int third = java.util.stream.IntStream.range(1, lines.size())
                .filter(i -> lines.get(i).contains("\"kind\":\"event\"") && amountPattern.matcher(lines.get(i)).find())
                .findFirst().orElseThrow();
        java.util.regex.Matcher seq = java.util.regex.Pattern.compile("\"seq\":(\\d+)").matcher(lines.get(third));
        assertTrue(seq.find(), lines.get(third));
        java.util.regex.Matcher amount = amountPattern.matcher(lines.get(third));
        assertTrue(amount.find(), lines.get(third));
        char digit = lines.get(third).charAt(amount.start(1));
        // a single byte changed: one digit of an amount
        lines.set(third, lines.get(third).substring(0, amount.start(1)) + (char) ('0' + (digit - '0' + 1) % 10)
                + lines.get(third).substring(amount.start(1) + 1));
        String tampered = verifier(java.nio.file.Files.write(dir.resolve("tampered.ndjson"), lines), keyFile, 1);
        assertTrue(tampered.contains("FAIL chain: event " + seq.group(1)), tampered);

        // a single byte of a statement's signature changed: the signature no longer holds
        List<String> original = java.nio.file.Files.readAllLines(exportFile);
        int statementAt = java.util.stream.IntStream.range(0, original.size()).filter(i -> original.get(i).contains("\"kind\":\"statement\""))
                .findFirst().orElseThrow();
        String line = original.get(statementAt);
        int middle = line.lastIndexOf('.') + 20;
        List<String> flipped = new ArrayList<>(original);
        flipped.set(statementAt, line.substring(0, middle) + (line.charAt(middle) == 'A' ? 'B' : 'A') + line.substring(middle + 1));
        String badSignature = verifier(java.nio.file.Files.write(dir.resolve("signature.ndjson"), flipped), keyFile, 1);
        assertTrue(badSignature.contains("ok   chain") && badSignature.contains("FAIL statement 2019-01: the signature does not verify"),
                badSignature);

        // a statement that claims other results, signed with the operator's key: the replay refuses it
        String statementLine = lines.stream().filter(l -> l.contains("\"kind\":\"statement\"")).findFirst().orElseThrow();
        String jws = LedgerJson.read(statementLine, JsonNode.class).path("jws").asText();
        String[] parts = jws.split("\\.");
        com.fasterxml.jackson.databind.node.ObjectNode claimed = (com.fasterxml.jackson.databind.node.ObjectNode) LedgerJson.read(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8), JsonNode.class);
        ((com.fasterxml.jackson.databind.node.ObjectNode) claimed.path("result").path("products").get(0)).put("out", "900");
        String payload = LedgerJson.write(claimed);
        String forged = resign(parts[0], payload);
        List<String> withForged = original.stream().map(l -> l.contains("\"kind\":\"statement\"") ? l.replace(jws, forged) : l).toList();
        String replay = verifier(java.nio.file.Files.write(dir.resolve("forged.ndjson"), withForged), keyFile, 1);
        assertTrue(replay.contains("ok   statement 2019-01") && replay.contains("FAIL replay 2019-01"), replay);
    }

    /** Signs as the operator would, with the system tests' statement key (RS256). */
    static String resign(String header, String payload) throws Exception {
        java.security.PrivateKey key = eu.massbalance.testinfra.Tokens.readPrivateKey(SystemUnderTest.statementKey());
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String input = header + "." + b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(rsa.sign());
    }

    /** Runs {@code java -jar verifier/target/massbalance-verifier.jar} and returns its report, checking its exit status. */
    static String verifier(java.nio.file.Path export, java.nio.file.Path keys, int expectedStatus) throws Exception {
        java.nio.file.Path jar = SystemUnderTest.REPOSITORY.resolve("verifier/target/massbalance-verifier.jar");
        Process process = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), export.toString(), keys.toString()).redirectErrorStream(true).start();
        String report = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(expectedStatus, process.waitFor(), report);
        return report;
    }
}
