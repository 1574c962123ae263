package eu.massbalance.projection.store;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * R-21, the yearly report to the Energy Agency (guidance chapter 5; 5 kap. 1 § HBFS): for an
 * organisation and a calendar year, the sustainable quantities for which tax liability arose,
 * per batch, with the characteristics a–o.
 * <p>
 * What is reported: the portions outbound deliveries with {@code taxLiability} drew from a batch
 * and that were covered (DRAWN), of deliveries booked (not reversed, not pending) in a period of
 * the year — a quantity belongs to the year of the period that booked it, as in the period
 * results it reconciles with. Uncovered claims are never reported: they drew nothing. One line
 * per site, batch and use area, so each quantity is reported exactly once. Energy content is the
 * quantity times the batch's lower heating value where the units allow (MJ).
 * <p>
 * The same log gives the same report: the lines are ordered, nothing depends on the clock, and
 * the report states the position (last sequence number) of each site's log it was computed at.
 * A year with periods still open, or not yet ended at a site, is provisional and says which.
 */
@ApplicationScoped
public class YearlyReport {

    /** One batch's sustainable quantity for one use area at one site (characteristics a–o, c = quantity). */
    public record Line(String siteId, String batchId, String product, String fuelCategory, String useArea, BigDecimal quantity,
                       String unit, BigDecimal lowerHeatingValue, String lowerHeatingValueUnit, BigDecimal energyMJ,
                       String rawMaterial, String countryOfOrigin, String rawMaterialGroup, String annexIX, Boolean residueOrWaste,
                       String celluloseType, BigDecimal ghgEmissions, String ghgEmissionsUnit, String ghgMethod,
                       String productionPathway, String credits, String voluntaryScheme) {
    }

    /** A total of the report's lines, per fuel category or per raw-material group, and unit. */
    public record Total(String key, String unit, BigDecimal quantity, BigDecimal energyMJ) {
    }

    public record Report(String organisationId, int year, boolean provisional, List<String> openPeriods,
                         Map<String, Long> positions, List<Line> lines, List<Total> byFuelCategory,
                         List<Total> byRawMaterialGroup) {
    }

    @Inject
    AgroalDataSource dataSource;

    public Report compute(String organisationId, int year) {
        String prefix = year + "-";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // one snapshot: positions, periods and lines agree
            try (var s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
                // a year's movements, journal rows and portions are joined whole, by hash, in the order the query is
                // written. Just after a bulk load the tables have no statistics yet; the planner took them for a few
                // rows and joined journal and portions on the site alone, which ran for minutes on the demo's year
                // (8,000 outbounds). Joined as written, it takes well under a second
                s.execute("SET LOCAL enable_nestloop = off");
                s.execute("SET LOCAL join_collapse_limit = 1");
            }
            try {
                Map<String, Long> positions = positions(c, organisationId);
                List<String> open = openPeriods(c, organisationId, year, positions.keySet());
                List<Line> lines = lines(c, organisationId, prefix);
                return new Report(organisationId, year, !open.isEmpty(), open, positions, lines,
                        totals(lines, Line::fuelCategory), totals(lines, Line::rawMaterialGroup));
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> positions(Connection c, String organisationId) throws SQLException {
        Map<String, Long> positions = new TreeMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT o.site_id, (SELECT max(seq) FROM journal j WHERE j.site_id = o.site_id)"
                + " FROM site_organisation o WHERE o.organisation_id = ?")) {
            select.setString(1, organisationId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return positions;
    }

    /** The year's periods not closed yet, and the sites whose year has not ended (no period of a later year). */
    private static List<String> openPeriods(Connection c, String organisationId, int year, java.util.Set<String> sites)
            throws SQLException {
        List<String> open = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT b.site_id, b.period_id, b.status FROM period_balance b"
                + " JOIN site_organisation o ON o.site_id = b.site_id WHERE o.organisation_id = ? AND b.period_id >= ?"
                + " ORDER BY b.site_id, b.period_id")) {
            select.setString(1, organisationId);
            select.setString(2, year + "-01");
            Map<String, Boolean> ended = new TreeMap<>();
            sites.forEach(site -> ended.put(site, false));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String site = rs.getString(1);
                    String period = rs.getString(2);
                    if (period.compareTo((year + 1) + "-01") >= 0) {
                        ended.put(site, true);
                    } else if (!"CLOSED".equals(rs.getString(3))) {
                        open.add(site + " " + period);
                    }
                }
            }
            ended.forEach((site, done) -> {
                if (!done) {
                    open.add(site + " " + year + " not ended");
                }
            });
        }
        return open;
    }

    private static List<Line> lines(Connection c, String organisationId, String yearPrefix) throws SQLException {
        List<Line> lines = new ArrayList<>();
        // written in the order it is joined (join_collapse_limit 1): each join on its own keys, never a site's rows
        // crossed with another table's rows of the same site
        try (PreparedStatement select = c.prepareStatement("SELECT p.site_id, p.batch_id, p.product, m.unit,"
                + " j.payload::jsonb ->> 'useArea', sum(p.amount), b.characteristics::text"
                + " FROM site_organisation o"
                + " JOIN movement m ON m.site_id = o.site_id"
                + " JOIN journal j ON j.site_id = m.site_id AND j.seq = m.event_seq"
                + " JOIN portion p ON p.site_id = m.site_id AND p.delivery_id = m.delivery_id"
                + " JOIN batch b ON b.site_id = p.site_id AND b.batch_id = p.batch_id"
                + " WHERE o.organisation_id = ? AND p.kind = 'DRAWN' AND m.direction = 'OUTBOUND' AND m.status = 'BOOKED'"
                + " AND m.period_id LIKE ? AND (j.payload::jsonb ->> 'taxLiability')::boolean"
                + " AND j.payload::jsonb ->> 'destinationSiteId' IS NULL"
                + " GROUP BY p.site_id, p.batch_id, p.product, m.unit, j.payload::jsonb ->> 'useArea', b.characteristics::text")) {
            select.setString(1, organisationId);
            select.setString(2, yearPrefix + "%");
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    lines.add(line(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getBigDecimal(6).stripTrailingZeros(), json(rs.getString(7))));
                }
            }
        }
        lines.sort(Comparator.comparing((Line l) -> nullsLast(l.fuelCategory())).thenComparing(Line::siteId)
                .thenComparing(Line::batchId).thenComparing(l -> nullsLast(l.useArea())));
        return lines;
    }

    private static String nullsLast(String text) {
        return text == null ? "\uffff" : text;
    }

    private static Line line(String site, String batch, String product, String unit, String useArea, BigDecimal quantity,
                             JsonNode characteristics) {
        JsonNode fields = characteristics;
        BigDecimal lhv = decimal(fields.path("lowerHeatingValue").path("amount"));
        String lhvUnit = text(fields.path("lowerHeatingValue").path("unit"));
        return new Line(site, batch, product, Optional.ofNullable(text(fields.path("fuelCategory"))).orElse(product), useArea,
                plain(quantity), unit, lhv, lhvUnit, energy(quantity, unit, lhv, lhvUnit), text(fields.path("rawMaterial")),
                text(fields.path("countryOfOrigin")), text(fields.path("rawMaterialGroup")), text(fields.path("annexIX")),
                fields.path("residueOrWaste").isBoolean() ? fields.path("residueOrWaste").asBoolean() : null,
                text(fields.path("celluloseType")), decimal(fields.path("ghgEmissions").path("amount")),
                text(fields.path("ghgEmissions").path("unit")), text(fields.path("ghgMethod")),
                text(fields.path("productionPathway")), text(fields.path("credits")), text(fields.path("voluntaryScheme")));
    }

    /**
     * MJ: quantity × lower heating value, where the units meet (volume with MJ/l or MJ/m3, mass with MJ/kg or GJ/t, a gas's
     * normal volume with MJ/Nm3).
     */
    static BigDecimal energy(BigDecimal quantity, String unit, BigDecimal lhv, String lhvUnit) {
        if (lhv == null || lhvUnit == null || unit == null) {
            return null;
        }
        BigDecimal litres = switch (unit) {
            case "m3" -> quantity.movePointRight(3);
            case "l" -> quantity;
            default -> null;
        };
        BigDecimal kilograms = switch (unit) {
            case "t" -> quantity.movePointRight(3);
            case "kg" -> quantity;
            default -> null;
        };
        BigDecimal mj = switch (lhvUnit) {
            case "MJ/l" -> litres == null ? null : litres.multiply(lhv);
            case "MJ/m3" -> litres == null ? null : litres.movePointLeft(3).multiply(lhv);
            case "MJ/kg" -> kilograms == null ? null : kilograms.multiply(lhv);
            case "GJ/t" -> kilograms == null ? null : kilograms.movePointLeft(3).multiply(lhv).movePointRight(3);
            case "MJ/Nm3" -> "Nm3".equals(unit) ? quantity.multiply(lhv) : null;
            default -> null;
        };
        return mj == null ? null : plain(mj.setScale(3, java.math.RoundingMode.HALF_EVEN));
    }

    private static List<Total> totals(List<Line> lines, java.util.function.Function<Line, String> key) {
        Map<List<String>, BigDecimal[]> sums = new TreeMap<>(Comparator.comparing((List<String> k) -> nullsLast(k.get(0)))
                .thenComparing(k -> k.get(1)));
        for (Line line : lines) {
            BigDecimal[] sum = sums.computeIfAbsent(java.util.Arrays.asList(key.apply(line), line.unit()),
                    k -> new BigDecimal[] {BigDecimal.ZERO, null});
            sum[0] = sum[0].add(line.quantity());
            if (line.energyMJ() != null) {
                sum[1] = sum[1] == null ? line.energyMJ() : sum[1].add(line.energyMJ());
            }
        }
        List<Total> totals = new ArrayList<>();
        sums.forEach((k, sum) -> totals.add(new Total(k.get(0), k.get(1), plain(sum[0]), sum[1] == null ? null : plain(sum[1]))));
        return totals;
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static BigDecimal decimal(JsonNode node) {
        String text = text(node);
        try {
            return text == null ? null : plain(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode json(String text) {
        try {
            return LedgerJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
