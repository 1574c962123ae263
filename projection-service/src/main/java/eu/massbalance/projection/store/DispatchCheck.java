package eu.massbalance.projection.store;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.Quantity;
import eu.massbalance.contracts.UnitConversion;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.json.LedgerJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Before dispatch: could an outbound's sustainable claim be covered from what is on hand now, and
 * from which batches — FIFO through the product's mixture, or the named batch — and
 * where would the open period stand. It reads the projection's current state (three look-ups),
 * reserves nothing and appends nothing: the outbound itself decides when it is posted.
 */
@ApplicationScoped
public class DispatchCheck {

    /** A batch the claim would draw from, with its characteristics. */
    public record Draw(String batchId, String product, BigDecimal amount, JsonNode characteristics) {
    }

    /**
     * {@code outcome}: COVERED (all of it from stock on hand), OPEN_CLAIM (the rest stays open, to be
     * covered by an inbound before the period ends; overdraft ALLOW_WITHIN_PERIOD), or
     * NOT_COVERED (the site forbids overdraft: the rest would be a deviation at once).
     */
    public record Result(String siteId, String product, BigDecimal quantity, String unit, String outcome, BigDecimal covered,
                         BigDecimal shortfall, List<Draw> draws, String openPeriod, BigDecimal sustainableOnHand,
                         BigDecimal sustainableOnHandAfter, String allocation, String overdraft, long asOfSeq) {
    }

    /** What the question was missing or got wrong, for a 400 or 404 problem. */
    public static final class Unanswerable extends RuntimeException {
        public final String code;
        public final boolean unknown;

        Unanswerable(String code, String message, boolean unknown) {
            super(message);
            this.code = code;
            this.unknown = unknown;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DispatchViews views;

    /** A batch with stock on hand, in FIFO order within its mixture. */
    private record OnHand(String batchId, String product, BigDecimal amount) {
    }

    /**
     * Answers from the site's view in memory when this instance projects the site (no database
     * round trip), else from the projection's tables; both say the same of the same log position.
     */
    public Result check(String siteId, String product, Quantity quantity, String batchId) {
        DispatchViews.View view = views.view(siteId).orElse(null);
        if (view != null) {
            SiteConfigured site = view.configuration();
            SiteConfigured.ProductConfig config = productConfig(site, product);
            BigDecimal amount = amountIn(config, quantity);
            List<OnHand> stock = view.stock(mixtureOf(site, product)).stream()
                    .map(s -> new OnHand(s.batchId(), s.product(), s.onHand())).toList();
            return answer(site, product, config, amount, batchId, stock, view.openPeriod() == null ? null
                    : view.openPeriod().toString(), view.seq(), drawn -> {
                        java.util.Map<String, JsonNode> characteristics = new java.util.HashMap<>();
                        for (String mixture : view.stockByMixture().keySet()) {
                            for (eu.massbalance.projection.engine.SiteLedger.Stock s : view.stock(mixture)) {
                                if (drawn.contains(s.batchId())) {
                                    characteristics.put(s.batchId(), json(LedgerJson.write(s.characteristics().identity())));
                                }
                            }
                        }
                        return characteristics;
                    });
        }
        return fromDatabase(siteId, product, quantity, batchId);
    }

    /** The same answer from the projection's tables: for a site this instance does not project. */
    public Result fromDatabase(String siteId, String product, Quantity quantity, String batchId) {
        try (Connection c = dataSource.getConnection()) {
            SiteConfigured site;
            long asOf;
            try (PreparedStatement select = c.prepareStatement("SELECT configuration::text, seq FROM site_setup WHERE site_id = ?")) {
                select.setString(1, siteId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new Unanswerable("SITE_UNKNOWN", "The projection holds no configuration of site " + siteId, true);
                    }
                    site = LedgerJson.read(rs.getString(1), SiteConfigured.class);
                    asOf = rs.getLong(2);
                }
            }
            SiteConfigured.ProductConfig config = productConfig(site, product);
            BigDecimal amount = amountIn(config, quantity);
            List<OnHand> stock = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT batch_id, product, on_hand FROM stock"
                    + " WHERE site_id = ? AND mixture = ? AND on_hand > 0 ORDER BY position")) {
                select.setString(1, siteId);
                select.setString(2, mixtureOf(site, product));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        stock.add(new OnHand(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
                    }
                }
            }
            String openPeriod = openPeriod(c, siteId);
            asOf = Math.max(asOf, lastSeq(c, siteId));
            return answer(site, product, config, amount, batchId, stock, openPeriod, asOf, drawn -> {
                java.util.Map<String, JsonNode> characteristics = new java.util.HashMap<>();
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT batch_id, characteristics::text FROM batch WHERE site_id = ? AND batch_id = ANY (?)")) {
                    select.setString(1, siteId);
                    select.setArray(2, c.createArrayOf("text", drawn.toArray()));
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            characteristics.put(rs.getString(1), json(rs.getString(2)));
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return characteristics;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SiteConfigured.ProductConfig productConfig(SiteConfigured site, String product) {
        return site.products().stream().filter(p -> p.product().equals(product)).findFirst()
                .orElseThrow(() -> new Unanswerable("PRODUCT_UNKNOWN", "Site " + site.siteId() + " keeps no product " + product, false));
    }

    private static BigDecimal amountIn(SiteConfigured.ProductConfig config, Quantity quantity) {
        try {
            return UnitConversion.convert(quantity.amount(), UnitConversion.factor(quantity.unit(), config.unit(),
                    config.density(), config.lowerHeatingValue()));
        } catch (UnitConversion.NotConvertible e) {
            throw new Unanswerable("UNIT_NOT_CONVERTIBLE", e.getMessage(), false);
        }
    }

    /** FIFO through the mixture's stock on hand, or the named batch only; the characteristics of the batches drawn. */
    private static Result answer(SiteConfigured site, String product, SiteConfigured.ProductConfig config, BigDecimal amount,
                                 String batchId, List<OnHand> stock, String openPeriod, long asOf,
                                 java.util.function.Function<java.util.Set<String>, java.util.Map<String, JsonNode>> characteristicsOf) {
        List<OnHand> taken = new ArrayList<>();
        BigDecimal onHand = BigDecimal.ZERO;
        BigDecimal remaining = amount;
        for (OnHand available : stock) {
            onHand = onHand.add(available.amount());
            if (remaining.signum() > 0 && (batchId == null || batchId.equals(available.batchId()))) {
                BigDecimal take = available.amount().min(remaining);
                remaining = remaining.subtract(take);
                taken.add(new OnHand(available.batchId(), available.product(), plain(take)));
            }
        }
        java.util.Map<String, JsonNode> characteristics = taken.isEmpty() ? java.util.Map.of()
                : characteristicsOf.apply(taken.stream().map(OnHand::batchId).collect(java.util.stream.Collectors.toSet()));
        List<Draw> draws = taken.stream().map(t -> new Draw(t.batchId(), t.product(), t.amount(), characteristics.get(t.batchId())))
                .toList();
        BigDecimal covered = amount.subtract(remaining);
        String outcome = remaining.signum() == 0 ? "COVERED"
                : site.overdraft() == SiteConfigured.OverdraftPolicy.FORBID ? "NOT_COVERED" : "OPEN_CLAIM";
        return new Result(site.siteId(), product, plain(amount), config.unit().symbol(), outcome, plain(covered), plain(remaining),
                draws, openPeriod, plain(onHand), plain(onHand.subtract(covered)), site.allocation().name(),
                site.overdraft().name(), asOf);
    }

    private static String mixtureOf(SiteConfigured site, String product) {
        return site.blendGroups().stream().filter(g -> g.products().contains(product)).map(SiteConfigured.BlendGroup::name)
                .findFirst().orElse(product);
    }

    private static String openPeriod(Connection c, String siteId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT period_id FROM period_balance WHERE site_id = ? AND status <> 'CLOSED' ORDER BY period_id LIMIT 1")) {
            select.setString(1, siteId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The sequence number of the site's last event the projection holds. */
    private static long lastSeq(Connection c, String siteId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT max(seq) FROM journal WHERE site_id = ?")) {
            select.setString(1, siteId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static JsonNode json(String text) {
        return ReadModels.json(text);
    }
}
