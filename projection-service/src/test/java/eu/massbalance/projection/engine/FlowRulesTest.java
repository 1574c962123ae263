package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Site.assertAmount;
import static eu.massbalance.projection.engine.Site.at;
import static eu.massbalance.projection.engine.Site.batch;
import static eu.massbalance.projection.engine.Site.claim;
import static eu.massbalance.projection.engine.Site.hvo;
import static eu.massbalance.projection.engine.Site.refusalCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.CertificateRegistered;
import eu.massbalance.contracts.event.DeliveryReversed;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.event.PeriodCloseRequested;
import eu.massbalance.contracts.event.ProcessingRun;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import eu.massbalance.contracts.event.TransferInTransit;
import eu.massbalance.contracts.event.TransferReceived;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** R-22 (transfers between sites) and R-23 (processing), rule by rule: given, when, then. */
class FlowRulesTest {

    static final String PORT = "port";
    static final String DEPOT = "depot";
    static final String SUPPLIER = "supplier-rotterdam";

    static SiteConfigured site(String id, int months, String first, String... products) {
        return new SiteConfigured(id, id, "556677-8899", "Europe/Stockholm", months, YearMonth.parse(first), months > 3 ? "harvest" : null,
                Arrays.stream(products).map(p -> new ProductConfig(p, p.equals("UCO") || p.contains("MASS") || p.contains("SULPHATE")
                        ? Unit.KG : Unit.M3)).toList(), List.of(), OverdraftPolicy.ALLOW_WITHIN_PERIOD, AllocationPolicy.FIFO,
                null, null, "org", "admin", null);
    }

    static SiteLedger ledger(String id, int months, String... products) {
        return ledgerFrom(id, months, "2025-01", products);
    }

    static SiteLedger ledgerFrom(String id, int months, String first, String... products) {
        SiteLedger ledger = new SiteLedger(id);
        given(ledger, site(id, months, first, products),
                new CertificateRegistered(id, SUPPLIER, "CERT-1", "ISCC EU", LocalDate.parse("2020-01-01"), null, List.of()));
        return ledger;
    }

    static void given(SiteLedger ledger, LedgerEvent... events) {
        for (LedgerEvent e : events) {
            Applied applied = ledger.apply(e);
            assertFalse(applied.refused(), () -> "Given event was refused: " + applied.effects());
        }
    }

    static InboundDelivery in(String site, String id, String date, String product, String quantity, BatchLine... lines) {
        Unit unit = product.equals("HVO") ? Unit.M3 : Unit.KG;
        return new InboundDelivery(site, id, at(date), product, Quantity.of(quantity, unit), SUPPLIER, "CMR-" + id, List.of(lines),
                null, null);
    }

    static OutboundDelivery transfer(String id, String date, String quantity, BatchLine... claims) {
        return new OutboundDelivery(PORT, id, at(date), "HVO", Quantity.of(quantity, Unit.M3), null, null, null, List.of(claims), null,
                null, "erp", DEPOT);
    }

    /** What ledger-service appends to the destination from the source's effect. */
    static TransferInTransit transit(Effect.TransferDispatched d) {
        return new TransferInTransit(d.destinationSiteId(), TransferInTransit.transferId(PORT, d.deliveryId()), PORT, d.deliveryId(),
                d.dispatchedAt(), d.product(), new Quantity(d.quantity(), d.unit()),
                d.portions().stream().map(p -> new BatchLine(p.batchId(), p.amount(), p.characteristics())).toList(),
                "transfer:" + PORT);
    }

    static TransferReceived receipt(String transferId, String date, String quantity) {
        return new TransferReceived(DEPOT, transferId, at(date), Quantity.of(quantity, Unit.M3), "CMR-R", "erp-depot");
    }

    static Effect.TransferDispatched dispatched(Applied applied) {
        List<Effect.TransferDispatched> list = applied.effects(Effect.TransferDispatched.class);
        assertEquals(1, list.size(), () -> "effects: " + applied.effects());
        return list.get(0);
    }

    /** Batch id to what is on hand, as plain numbers. */
    static Map<String, String> stock(SiteLedger ledger) {
        Map<String, String> map = new LinkedHashMap<>();
        ledger.stock().forEach(s -> map.put(s.batchId(), s.onHand().stripTrailingZeros().toPlainString()));
        return map;
    }

    @Nested
    @DisplayName("R-22 Transfers between sites")
    class R22 {

        @Test
        void a_transfer_carries_exactly_the_drawn_batches_and_their_characteristics_and_is_in_neither_stock_in_transit() {
            SiteLedger port = ledger(PORT, 1, "HVO");
            SiteLedger depot = ledger(DEPOT, 1, "HVO");
            given(port, in(PORT, "I1", "2025-01-05", "HVO", "15", batch("A", "10", hvo("NL")), batch("B", "5", hvo("DE", "20.1"))));

            Applied out = port.apply(transfer("T1", "2025-01-10", "12", claim("12")));

            Effect.TransferDispatched d = dispatched(out);
            assertEquals(List.of("A", "B"), d.portions().stream().map(Portion::batchId).toList(), "FIFO (R-11)");
            assertAmount("10", d.portions().get(0).amount());
            assertAmount("2", d.portions().get(1).amount());
            assertEquals(hvo("DE", "20.1"), d.portions().get(1).characteristics(), "R-03: the batch's characteristics, exactly");
            assertEquals(Map.of("B", "3"), stock(port));

            Applied inTransit = depot.apply(transit(d));
            assertFalse(inTransit.refused(), () -> "effects: " + inTransit.effects());
            assertEquals(1, inTransit.effects(Effect.InTransit.class).size());
            assertTrue(depot.stock().isEmpty(), "in transit: in neither site's stock");

            Applied received = depot.apply(receipt("port:T1", "2025-01-11", "12"));
            assertFalse(received.refused(), () -> "effects: " + received.effects());
            assertEquals(List.of("A", "B"), depot.stock().stream().map(SiteLedger.Stock::batchId).toList());
            assertEquals(hvo("DE", "20.1"), depot.stock().get(1).characteristics());
            assertAmount("12", depot.balance(YearMonth.of(2025, 1)).orElseThrow().products().get(0).in());
            assertTrue(received.effects(Effect.DeviationRaised.class).isEmpty(), "a receipt as dispatched is no deviation");
        }

        @Test
        void a_transfer_the_stock_does_not_cover_is_refused_and_nothing_is_booked() {
            SiteLedger port = ledger(PORT, 1, "HVO");
            given(port, in(PORT, "I1", "2025-01-05", "HVO", "5", batch("A", "5")));
            SiteLedger.Snapshot before = port.snapshot();

            Applied out = port.apply(transfer("T1", "2025-01-10", "8", claim("8")));

            assertEquals(RefusalCode.TRANSFER_NOT_COVERED, refusalCode(out));
            assertEquals(before.stock(), port.snapshot().stock());
            assertEquals(before.current(), port.snapshot().current());
        }

        @Test
        void less_received_than_dispatched_books_each_batch_in_proportion_and_raises_TRANSFER_DIFFERENCE() {
            SiteLedger port = ledger(PORT, 1, "HVO");
            SiteLedger depot = ledger(DEPOT, 1, "HVO");
            given(port, in(PORT, "I1", "2025-01-05", "HVO", "10", batch("A", "6"), batch("B", "4", hvo("DE"))));
            Effect.TransferDispatched d = dispatched(port.apply(transfer("T1", "2025-01-10", "10", claim("10"))));
            given(depot, transit(d));

            Applied received = depot.apply(receipt("port:T1", "2025-01-12", "9"));

            assertEquals(Map.of("A", "5.4", "B", "3.6"), stock(depot));
            Effect.TransferCompleted completed = received.effects(Effect.TransferCompleted.class).get(0);
            assertAmount("1", completed.sustainableLost());
            List<Effect.DeviationRaised> raised = received.effects(Effect.DeviationRaised.class);
            assertEquals(1, raised.size());
            assertEquals(Deviation.Rule.TRANSFER_DIFFERENCE, raised.get(0).deviation().rule());
            assertEquals(eu.massbalance.contracts.event.DeviationClass.OBSERVATION, raised.get(0).deviation().deviationClass());
        }

        @Test
        void more_received_than_dispatched_keeps_the_batches_and_books_the_surplus_as_non_sustainable() {
            SiteLedger port = ledger(PORT, 1, "HVO");
            SiteLedger depot = ledger(DEPOT, 1, "HVO");
            given(port, in(PORT, "I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            given(depot, transit(dispatched(port.apply(transfer("T1", "2025-01-10", "10", claim("10"))))));

            given(depot, receipt("port:T1", "2025-01-12", "10.02"));

            assertEquals(Map.of("A", "10"), stock(depot));
            PeriodResult.ProductBalance hvo = depot.balance(YearMonth.of(2025, 1)).orElseThrow().products().get(0);
            assertAmount("10.02", hvo.in().add(hvo.nonSustainableIn()));
            assertTrue(depot.deviations().isEmpty(), "0.2 % is within the default tolerance of 0.5 %");
        }

        @Test
        void across_two_period_grids_the_receipt_waits_for_its_period_and_both_sites_balance() {
            SiteLedger port = ledgerFrom(PORT, 1, "2025-03", "HVO");
            SiteLedger depot = ledger(DEPOT, 3, "HVO");
            given(port, in(PORT, "I1", "2025-03-20", "HVO", "10", batch("A", "10")));
            // dispatched on the last day of the port's March and of the depot's first quarter
            Effect.TransferDispatched d = dispatched(port.apply(transfer("T1", "2025-03-31", "10", claim("10"))));
            given(depot, transit(d));
            // received in April: the depot's second quarter, while its first is still open (R-09)
            Applied received = depot.apply(receipt("port:T1", "2025-04-02", "10"));
            assertEquals(1, received.effects(Effect.Pending.class).size(), () -> "effects: " + received.effects());
            assertTrue(depot.stock().isEmpty());

            Applied closed = depot.apply(new PeriodCloseRequested(DEPOT, YearMonth.of(2025, 1), "officer"));

            assertEquals(1, closed.effects(Effect.TransferCompleted.class).size(), () -> "effects: " + closed.effects());
            assertEquals(Map.of("A", "10"), stock(depot));
            assertAmount("10", depot.balance(YearMonth.of(2025, 4)).orElseThrow().products().get(0).in());
            given(port, new PeriodCloseRequested(PORT, YearMonth.of(2025, 3), "o"));
            PeriodResult.ProductBalance march = port.closedPeriods().get(0).products().get(0);
            assertAmount("10", march.claimed());
            assertAmount("0", march.closing());
        }

        @Test
        void a_transfer_is_received_once_and_is_never_reversed() {
            SiteLedger port = ledger(PORT, 1, "HVO");
            SiteLedger depot = ledger(DEPOT, 1, "HVO");
            given(port, in(PORT, "I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            given(depot, transit(dispatched(port.apply(transfer("T1", "2025-01-10", "10", claim("10"))))));

            assertEquals(RefusalCode.TRANSFER_NOT_REVERSIBLE, refusalCode(depot.apply(new DeliveryReversed(DEPOT, "port:T1", "x", "erp"))));
            given(depot, receipt("port:T1", "2025-01-12", "10"));
            assertEquals(RefusalCode.TRANSFER_ALREADY_RECEIVED, refusalCode(depot.apply(receipt("port:T1", "2025-01-12", "10"))));
            assertEquals(RefusalCode.TRANSFER_UNKNOWN, refusalCode(depot.apply(receipt("port:T9", "2025-01-12", "10"))));
            assertEquals(RefusalCode.TRANSFER_NOT_REVERSIBLE, refusalCode(depot.apply(new DeliveryReversed(DEPOT, "port:T1", "x", "erp"))));
            assertEquals(RefusalCode.TRANSFER_NOT_REVERSIBLE, refusalCode(port.apply(new DeliveryReversed(PORT, "T1", "x", "erp"))));
            assertEquals(RefusalCode.DUPLICATE_DELIVERY, refusalCode(depot.apply(transit(dispatched(
                    ledgerWithTransfer())))));
        }

        private Applied ledgerWithTransfer() {
            SiteLedger port = ledger(PORT, 1, "HVO");
            given(port, in(PORT, "I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            return port.apply(transfer("T1", "2025-01-10", "10", claim("10")));
        }

        @Test
        void a_transfer_to_the_same_site_is_refused() {
            SiteLedger port = ledger(PORT, 1, "HVO");
            given(port, in(PORT, "I1", "2025-01-05", "HVO", "10", batch("A", "10")));
            OutboundDelivery toSelf = new OutboundDelivery(PORT, "T1", at("2025-01-10"), "HVO", Quantity.of("1", Unit.M3), null, null,
                    null, List.of(claim("1")), null, null, "erp", PORT);
            assertEquals(RefusalCode.TRANSFER_TO_SAME_SITE, refusalCode(port.apply(toSelf)));
        }
    }

    // ------------------------------------------------------------------ processing

    static final String PLANT = "plant";

    static Characteristics blackMass(String country, String footprint, String recycledPost) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("material", "BLACK_MASS");
        f.put("contentNi", "0.20");
        f.put("contentCo", "0.06");
        f.put("contentLi", "0.03");
        f.put("recycledSharePreConsumer", "0");
        f.put("recycledSharePostConsumer", recycledPost);
        f.put("countryOfOrigin", country);
        f.put("recyclingFacility", "Recycler Skelleftea");
        f.put("dueDiligenceStatus", "VERIFIED");
        f.put("carbonFootprint", Measure.of(footprint, "kgCO2e/kg"));
        f.put("carbonFootprintMethod", "PEF 3.1");
        return Characteristics.of("battery-material-v1", f);
    }

    static Characteristics nickelSulphate() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("material", "NICKEL_SULPHATE");
        f.put("contentNi", "0.22");
        f.put("carbonFootprint", Measure.of("3.1", "kgCO2e/kg"));
        return Characteristics.of("battery-material-v1", f);
    }

    static ProcessingRun run(String id, String input, String factor, String output, Characteristics declared, BatchLine... claims) {
        return new ProcessingRun(PLANT, id, at("2025-02-10"), "BLACK_MASS", Quantity.of(input, Unit.KG), List.of(claims),
                List.of(new ProcessingRun.Output("NICKEL_SULPHATE", Quantity.of(output, Unit.KG), new BigDecimal(factor), declared)),
                "erp-plant");
    }

    static SiteLedger plantWithTwoBatches() {
        SiteLedger plant = ledgerFrom(PLANT, 1, "2025-02", "BLACK_MASS", "NICKEL_SULPHATE");
        given(plant, in(PLANT, "I1", "2025-02-01", "BLACK_MASS", "1000", batch("BM-1", "600", blackMass("SE", "1.2", "1")),
                batch("BM-2", "400", blackMass("NO", "2.5", "0.8"))));
        return plant;
    }

    @Nested
    @DisplayName("R-23 Processing")
    class R23 {

        @Test
        void each_input_batch_yields_its_own_output_batch_carrying_what_is_per_unit_of_material() {
            SiteLedger plant = plantWithTwoBatches();

            Applied applied = plant.apply(run("RUN-1", "1000", "0.8", "700", nickelSulphate(), claim("1000")));

            assertFalse(applied.refused(), () -> "effects: " + applied.effects());
            Map<String, String> stock = stock(plant);
            assertEquals(Map.of("RUN-1.out1.1", "420", "RUN-1.out1.2", "280"), stock,
                    "600 and 400 kg of input give 7/10 of themselves");
            Characteristics first = plant.stock().get(0).characteristics();
            Characteristics second = plant.stock().get(1).characteristics();
            assertEquals("SE", first.text("countryOfOrigin").orElseThrow());
            assertEquals("NO", second.text("countryOfOrigin").orElseThrow());
            assertEquals("0.8", second.fields().get("recycledSharePostConsumer"), "recycled share carried unchanged");
            assertEquals("NICKEL_SULPHATE", first.text("material").orElseThrow());
            assertEquals("0.22", first.fields().get("contentNi"));
            assertFalse(first.fields().containsKey("contentCo"), "the declared composition replaces the input's");
            assertEquals(first.measure("carbonFootprint"), second.measure("carbonFootprint"), "declared: the same for every batch");
            List<Effect.Processed> processed = applied.effects(Effect.Processed.class);
            assertEquals(List.of("BM-1", "BM-2"), processed.get(0).links().stream().map(Effect.ProcessedLink::inputBatchId).toList());
        }

        @Test
        void a_value_per_kg_of_product_not_declared_stays_per_batch_and_is_never_averaged() {
            SiteLedger plant = plantWithTwoBatches();
            Characteristics declared = nickelSulphate().without("carbonFootprint");

            given(plant, run("RUN-1", "1000", "0.8", "800", declared, claim("1000")));

            List<Measure> footprints = plant.stock().stream().map(s -> s.characteristics().measure("carbonFootprint").orElseThrow()).toList();
            assertEquals(List.of(Measure.of("1.2", "kgCO2e/kg"), Measure.of("2.5", "kgCO2e/kg")), footprints);
            assertNotEquals(footprints.get(0), footprints.get(1));
        }

        @Test
        void conservation_holds_through_the_factor() {
            SiteLedger plant = plantWithTwoBatches();
            given(plant, run("RUN-1", "1000", "0.8", "800", nickelSulphate(), claim("600")));

            BigDecimal made = plant.stock().stream().filter(s -> s.product().equals("NICKEL_SULPHATE"))
                    .map(SiteLedger.Stock::onHand).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertAmount("480", made); // 600 sustainable kg × 800/1000: never more than drawn × factor
            assertTrue(made.compareTo(new BigDecimal("600").multiply(new BigDecimal("0.8"))) <= 0);
            PeriodResult.ProductBalance input = plant.balance(YearMonth.of(2025, 2)).orElseThrow().products().stream()
                    .filter(p -> p.product().equals("BLACK_MASS")).findFirst().orElseThrow();
            assertAmount("600", input.claimed());
            assertAmount("400", input.closing());
        }

        @Test
        void outputs_beyond_input_times_factor_are_refused_and_nothing_is_booked() {
            SiteLedger plant = plantWithTwoBatches();
            SiteLedger.Snapshot before = plant.snapshot();

            assertEquals(RefusalCode.PROCESSING_OUTPUT_EXCEEDS_FACTOR,
                    refusalCode(plant.apply(run("RUN-1", "1000", "0.8", "800.001", nickelSulphate(), claim("1000")))));
            assertEquals(before.stock(), plant.snapshot().stock());
        }

        @Test
        void a_run_whose_sustainable_input_is_not_on_hand_is_refused() {
            SiteLedger plant = plantWithTwoBatches();
            assertEquals(RefusalCode.PROCESSING_INPUT_NOT_COVERED,
                    refusalCode(plant.apply(run("RUN-1", "1200", "0.8", "700", nickelSulphate(), claim("1100")))));
        }

        @Test
        void a_run_may_not_declare_what_is_per_unit_of_material_and_its_outputs_must_be_valid_batches() {
            SiteLedger plant = plantWithTwoBatches();
            assertEquals(RefusalCode.PROCESSING_OUTPUT_INVALID, refusalCode(plant.apply(run("RUN-1", "1000", "0.8", "700",
                    nickelSulphate().with("countryOfOrigin", "CN"), claim("1000")))));
            assertEquals(RefusalCode.PROCESSING_OUTPUT_INVALID, refusalCode(plant.apply(run("RUN-2", "1000", "0.8", "700",
                    nickelSulphate().with("material", "UNOBTAINIUM"), claim("1000")))));
        }

        @Test
        void an_output_whose_declared_ghg_fails_the_saving_threshold_refuses_the_run_and_nothing_is_booked() {
            SiteLedger refinery = ledgerFrom("refinery", 1, "2025-02", "HVO", "HVO100");
            given(refinery, in("refinery", "I1", "2025-02-01", "HVO", "10", batch("B-1", "10", hvo("NL", "14.2"))));
            SiteLedger.Snapshot before = refinery.snapshot();
            Characteristics tooHigh = Characteristics.of("red-biofuel-v1", Map.of("fuelCategory", "HVO100",
                    "ghgEmissions", Measure.of("45", "gCO2e/MJ")));
            ProcessingRun run = new ProcessingRun("refinery", "RUN-1", at("2025-02-10"), "HVO", Quantity.of("10", Unit.M3),
                    List.of(claim("10")), List.of(new ProcessingRun.Output("HVO100", Quantity.of("9.9", Unit.M3), BigDecimal.ONE, tooHigh)),
                    "erp-refinery");

            Applied applied = refinery.apply(run);

            assertEquals(RefusalCode.PROCESSING_OUTPUT_INVALID, refusalCode(applied));
            assertTrue(applied.effects(Effect.Refused.class).get(0).message().contains("R-19"), () -> "effects: " + applied.effects());
            assertEquals(before.stock(), refinery.snapshot().stock());
        }

        @Test
        void a_run_is_never_reversed() {
            SiteLedger plant = plantWithTwoBatches();
            given(plant, run("RUN-1", "1000", "0.8", "700", nickelSulphate(), claim("1000")));
            assertEquals(RefusalCode.PROCESSING_NOT_REVERSIBLE, refusalCode(plant.apply(new DeliveryReversed(PLANT, "RUN-1", "x", "erp"))));
            assertEquals(RefusalCode.PROCESSING_NOT_REVERSIBLE, refusalCode(plant.apply(new DeliveryReversed(PLANT, "RUN-1.out1", "x", "erp"))));
        }

        @Test
        void an_output_is_drawn_like_any_batch_and_its_open_claims_are_covered_by_it() {
            SiteLedger plant = plantWithTwoBatches();
            given(plant, new OutboundDelivery(PLANT, "O1", at("2025-02-05"), "NICKEL_SULPHATE", Quantity.of("100", Unit.KG), "cathode-plant",
                    null, null, List.of(claim("100")), null, null));
            Applied applied = plant.apply(run("RUN-1", "1000", "0.8", "700", nickelSulphate(), claim("1000")));

            List<Effect.ClaimCovered> covered = applied.effects(Effect.ClaimCovered.class);
            assertEquals(1, covered.size(), () -> "effects: " + applied.effects());
            assertEquals("RUN-1.out1.1", covered.get(0).portions().get(0).batchId());
        }
    }
}
