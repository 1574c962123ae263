package eu.massbalance.projection.benchmark;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.projection.engine.SiteLedger;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Throughput of {@link SiteLedger#apply} on one thread, over a realistic depot stream: boats of
 * several thousand m3 bringing sustainable batches, trucks of 30–40 m3 claiming sustainable
 * quantity FIFO, three products, monthly closes. The events are built before timing; each round
 * applies them to fresh ledgers. Run:
 * <pre>
 * ./mvnw -q -pl projection-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=eu.massbalance.projection.benchmark.EngineBenchmark [-Dexec.args="2000000 5"]
 * </pre>
 * Figures go to {@code projection-service/target/benchmarks/engine.txt} and stdout.
 */
public final class EngineBenchmark {

    static final String[] PRODUCTS = {"HVO", "FAME", "ETHANOL"};

    public static void main(String[] args) throws IOException {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int sites = 20;
        Map<String, List<LedgerEvent>> stream = generate(events, sites, new Random(42));
        long deliveries = stream.values().stream().flatMap(List::stream)
                .filter(e -> e instanceof InboundDelivery || e instanceof OutboundDelivery).count();
        long total = stream.values().stream().mapToLong(List::size).sum();

        double[] perSecond = new double[rounds + 2];
        for (int round = 0; round < rounds + 2; round++) { // the first two rounds warm the JIT up
            long refused = 0;
            long start = System.nanoTime();
            for (Map.Entry<String, List<LedgerEvent>> site : stream.entrySet()) {
                SiteLedger ledger = new SiteLedger(site.getKey());
                for (LedgerEvent event : site.getValue()) {
                    if (ledger.apply(event).refused()) {
                        refused++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            perSecond[round] = total / seconds;
            if (refused != 0) {
                throw new IllegalStateException(refused + " events refused: the generated stream is wrong");
            }
        }
        double[] measured = Arrays.copyOfRange(perSecond, 2, perSecond.length);
        Arrays.sort(measured);
        String report = String.format("""
                SiteLedger.apply throughput, one thread (%s, %s)
                stream: %d events (%d deliveries) over %d sites, 3 products, monthly closes
                rounds: %d measured after 2 warm-up rounds
                median: %,.0f events/s
                best:   %,.0f events/s
                worst:  %,.0f events/s
                """, System.getProperty("java.vm.name"), System.getProperty("java.version"), total, deliveries, sites,
                rounds, measured[measured.length / 2], measured[measured.length - 1], measured[0]);
        System.out.print(report);
        Path out = Path.of("projection-service/target/benchmarks");
        if (!Files.isDirectory(Path.of("projection-service"))) {
            out = Path.of("target/benchmarks");
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("engine.txt"), report);
    }

    static Map<String, List<LedgerEvent>> generate(int events, int sites, Random random) {
        Map<String, List<LedgerEvent>> stream = new HashMap<>();
        int perSite = events / sites;
        for (int s = 0; s < sites; s++) {
            String site = "depot-" + s;
            List<LedgerEvent> list = new ArrayList<>(perSite + 100);
            list.add(new SiteConfigured(site, site, "556677-8899", "Europe/Stockholm", 1, YearMonth.of(2025, 1), null,
                    Arrays.stream(PRODUCTS).map(p -> new SiteConfigured.ProductConfig(p, Unit.M3)).toList(), List.of(),
                    null, null, null, 10));
            list.add(new CertificateRegistered(site, "supplier", "CERT", "ISCC EU", LocalDate.of(2020, 1, 1), null, List.of()));
            Map<String, BigDecimal> stock = new HashMap<>();
            int perMonth = Math.max(1000, perSite / 24);
            YearMonth month = YearMonth.of(2025, 1);
            int boat = 0;
            for (int i = 0; i < perSite; i++) {
                if (i > 0 && i % perMonth == 0) {
                    list.add(new PeriodCloseRequested(site, month, "scheduler"));
                    month = month.plusMonths(1);
                }
                OffsetDateTime at = month.atDay(1 + (i % perMonth) * 27 / perMonth).atTime(8, 0).atOffset(ZoneOffset.ofHours(1));
                String product = PRODUCTS[random.nextInt(PRODUCTS.length)];
                BigDecimal onHand = stock.getOrDefault(product, BigDecimal.ZERO);
                if (onHand.compareTo(BigDecimal.valueOf(200)) < 0 || random.nextInt(100) == 0) {
                    BigDecimal size = BigDecimal.valueOf(2000 + random.nextInt(3000));
                    BigDecimal sustainable = size.multiply(new BigDecimal("0.9"));
                    String batch = site + "-" + product + "-" + (boat++);
                    list.add(new InboundDelivery(site, "IN-" + i, at, product, new Quantity(size, Unit.M3), "supplier",
                            "CMR-" + i, List.of(new BatchLine(batch, sustainable, characteristics(product, random))), null, null));
                    stock.put(product, onHand.add(sustainable));
                } else {
                    BigDecimal truck = BigDecimal.valueOf(30_000 + random.nextInt(10_000)).movePointLeft(3);
                    BigDecimal claim = truck.multiply(new BigDecimal("0.5"));
                    list.add(new OutboundDelivery(site, "OUT-" + i, at, product, new Quantity(truck, Unit.M3), "haulier", "TRANSPORT",
                            true, List.of(new BatchLine(null, claim, null)), null, null));
                    stock.put(product, onHand.subtract(claim));
                }
            }
            list.add(new PeriodCloseRequested(site, month, "scheduler"));
            stream.put(site, list);
        }
        return stream;
    }

    static Characteristics characteristics(String product, Random random) {
        return Characteristics.of("red-biofuel-v1", Map.of(
                "fuelCategory", product, "rawMaterial", "Used cooking oil", "countryOfOrigin", random.nextBoolean() ? "NL" : "DE",
                "rawMaterialGroup", "OTHER", "annexIX", "B", "residueOrWaste", true, "celluloseType", "NONE",
                "ghgEmissions", Measure.of(String.valueOf(10 + random.nextInt(20)), "gCO2e/MJ"), "ghgMethod", "ACTUAL",
                "installationStart", "2012-05-01"));
    }

    private EngineBenchmark() {
    }
}
