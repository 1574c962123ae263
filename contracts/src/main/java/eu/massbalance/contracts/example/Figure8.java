package eu.massbalance.contracts.example;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.RawMaterialProfile;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.event.BatchLine;
import eu.massbalance.contracts.event.InboundDelivery;
import eu.massbalance.contracts.event.LedgerEvent;
import eu.massbalance.contracts.event.OutboundDelivery;
import eu.massbalance.contracts.json.LedgerJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The guidance's worked example (Figure 8) as one data set, {@code examples/figure8.json}: the
 * engine's golden test, the end-to-end test and the demo all post exactly these deliveries.
 * January is J1–J8, February F1–F2; the expected figures are in the rule book (R-10..R-12).
 */
public final class Figure8 {

    /** One row of the figure: a delivery with at most one sustainable batch. */
    public record Row(String id, LocalDate date, ErpDelivery.Direction direction, BigDecimal quantity, BigDecimal sustainable,
                      String batch, String ghg, String country) {

        public boolean inJanuary() {
            return date.getMonthValue() == 1;
        }
    }

    private record DataSet(String source, String product, String unit, String supplierId, String customerId, List<Row> deliveries) {
    }

    private static final DataSet DATA = load();

    public static final String PRODUCT = DATA.product();
    public static final Unit UNIT = Unit.fromSymbol(DATA.unit()).orElseThrow();
    public static final String SUPPLIER = DATA.supplierId();

    private Figure8() {
    }

    private static DataSet load() {
        try (InputStream in = Figure8.class.getResourceAsStream("/examples/figure8.json")) {
            return LedgerJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), DataSet.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Row> rows() {
        return DATA.deliveries();
    }

    public static List<Row> january() {
        return rows().stream().filter(Row::inJanuary).toList();
    }

    public static List<Row> february() {
        return rows().stream().filter(r -> !r.inJanuary()).toList();
    }

    /** The batch's characteristics: raw material wheat, its country of origin and its emissions per kg. */
    public static Characteristics characteristics(Row row) {
        return Characteristics.of(RawMaterialProfile.ID, Map.of("rawMaterial", "Wheat", "countryOfOrigin", row.country(),
                "ghgEmissions", Measure.of(row.ghg(), "gCO2/kg")));
    }

    private static OffsetDateTime at(Row row) {
        return row.date().atTime(8, 0).atOffset(ZoneOffset.ofHours(1));
    }

    /** The row as the depot's ERP sends it. */
    public static ErpDelivery erpDelivery(String siteId, Row row) {
        boolean in = row.direction() == ErpDelivery.Direction.INBOUND;
        List<ErpDelivery.Line> lines = row.sustainable().signum() == 0 ? List.of()
                : List.of(new ErpDelivery.Line(in ? row.batch() : null, row.sustainable(), in ? characteristics(row) : null));
        return new ErpDelivery(siteId, row.id(), row.direction(), at(row), DATA.product(),
                new ErpDelivery.QuantityInput(row.quantity(), DATA.unit()), in ? DATA.supplierId() : null,
                in ? "W-" + row.id() : null, in ? null : DATA.customerId(), null, null, lines, null, null);
    }

    /** The row as it stands on the site's log. */
    public static LedgerEvent event(String siteId, Row row) {
        Quantity quantity = new Quantity(row.quantity(), UNIT);
        if (row.direction() == ErpDelivery.Direction.INBOUND) {
            List<BatchLine> lines = row.sustainable().signum() == 0 ? List.of()
                    : List.of(new BatchLine(row.batch(), row.sustainable(), characteristics(row)));
            return new InboundDelivery(siteId, row.id(), at(row), DATA.product(), quantity, DATA.supplierId(), "W-" + row.id(), lines,
                    null, null);
        }
        List<BatchLine> lines = row.sustainable().signum() == 0 ? List.of() : List.of(BatchLine.claim(row.sustainable().toPlainString()));
        return new OutboundDelivery(siteId, row.id(), at(row), DATA.product(), quantity, DATA.customerId(), null, null, lines, null, null);
    }
}
