package eu.massbalance.projection.engine;

import static eu.massbalance.projection.engine.Refusal.isBlank;
import static eu.massbalance.projection.engine.Refusal.require;

import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** A site's validated set-up: its products, their mixtures and its period grid. */
final class SiteSetup {

    final SiteConfigured config;
    final PeriodGrid grid;
    private final Map<String, ProductConfig> products;
    private final Map<String, String> mixtureOf;

    private SiteSetup(SiteConfigured config, PeriodGrid grid, Map<String, ProductConfig> products, Map<String, String> mixtureOf) {
        this.config = config;
        this.grid = grid;
        this.products = Map.copyOf(products);
        this.mixtureOf = Map.copyOf(mixtureOf);
    }

    static SiteSetup of(SiteConfigured c) {
        // 1, 2, 3, 4, 6 or 12 months; more than 3 only with a stated reason; never more than 12
        if (!PeriodGrid.ALLOWED_MONTHS.contains(c.periodMonths())) {
            throw new Refusal(RefusalCode.PERIOD_LENGTH_INVALID, "periodMonths must be 1, 2, 3, 4, 6 or 12; was " + c.periodMonths());
        }
        if (c.periodMonths() > 3 && isBlank(c.periodReason())) {
            throw new Refusal(RefusalCode.PERIOD_REASON_REQUIRED, "A period longer than 3 months needs a stated reason (seasonal harvest)");
        }
        require(c.firstPeriod(), RefusalCode.FIRST_PERIOD_REQUIRED, "firstPeriod (YYYY-MM) is required");
        ZoneId zone;
        try {
            zone = ZoneId.of(c.timeZone());
        } catch (DateTimeException | NullPointerException e) {
            throw new Refusal(RefusalCode.TIME_ZONE_INVALID, "Unknown time zone " + c.timeZone());
        }
        if (c.products().isEmpty()) {
            throw new Refusal(RefusalCode.PRODUCTS_REQUIRED, "A site keeps at least one product");
        }
        Map<String, ProductConfig> products = new HashMap<>();
        for (ProductConfig p : c.products()) {
            if (p == null || isBlank(p.product()) || p.unit() == null) {
                throw new Refusal(RefusalCode.PRODUCT_INVALID, "Every product needs a name and an accounting unit");
            }
            if (products.put(p.product(), p) != null) {
                throw new Refusal(RefusalCode.PRODUCT_DUPLICATE, "Product " + p.product() + " is listed twice");
            }
        }
        Map<String, String> mixtures = blendGroups(c, products);
        if (c.escalation().occurrences() < 1 || c.escalation().windowMonths() < 1) {
            throw new Refusal(RefusalCode.ESCALATION_POLICY_INVALID,
                    "Escalation needs at least 1 occurrence and a window of at least 1 month");
        }
        return new SiteSetup(c, new PeriodGrid(c.firstPeriod(), c.periodMonths(), zone), products, mixtures);
    }

    /** products blended physically and declared as one blend group share their characteristics; others stay apart. */
    private static Map<String, String> blendGroups(SiteConfigured c, Map<String, ProductConfig> products) {
        Map<String, String> mixtures = new HashMap<>();
        for (SiteConfigured.BlendGroup g : c.blendGroups()) {
            if (g == null || isBlank(g.name()) || g.products().size() < 2) {
                throw new Refusal(RefusalCode.BLEND_GROUP_INVALID, "A blend group needs a name and at least two products");
            }
            Unit unit = null;
            for (String product : g.products()) {
                ProductConfig p = products.get(product);
                if (p == null) {
                    throw new Refusal(RefusalCode.BLEND_GROUP_PRODUCT_UNKNOWN, "Blend group " + g.name() + " names unknown product " + product);
                }
                if (mixtures.put(product, g.name()) != null) {
                    throw new Refusal(RefusalCode.BLEND_GROUP_OVERLAP, "Product " + product + " is in more than one blend group");
                }
                if (unit != null && unit != p.unit()) {
                    throw new Refusal(RefusalCode.BLEND_GROUP_UNIT_MISMATCH,
                            "Products of blend group " + g.name() + " must share one accounting unit");
                }
                unit = p.unit();
            }
        }
        products.keySet().forEach(p -> mixtures.putIfAbsent(p, p));
        return mixtures;
    }

    /**
     * Whether this set-up may replace {@code previous}: the grid is fixed once deliveries are booked
     * or a period closed, and a product with stock keeps its unit and mixture.
     */
    void checkReplaces(SiteSetup previous, boolean locked, Collection<Batch> stock) {
        if (previous == null) {
            return;
        }
        if (locked && !grid.equals(previous.grid)) {
            throw new Refusal(RefusalCode.PERIOD_GRID_LOCKED,
                    "The first period, period length and time zone cannot change once deliveries are booked");
        }
        for (Batch b : stock) {
            ProductConfig p = products.get(b.product);
            if (p == null || p.unit() != previous.products.get(b.product).unit() || !mixtureOf.get(b.product).equals(b.mixture)) {
                throw new Refusal(RefusalCode.PRODUCT_IN_USE, "Product " + b.product + " has stock; its unit and mixture cannot change");
            }
        }
    }

    ProductConfig product(String product, String siteId) {
        ProductConfig p = product == null ? null : products.get(product);
        if (p == null) {
            throw new Refusal(RefusalCode.PRODUCT_NOT_AT_SITE, "Product " + product + " is not kept at site " + siteId);
        }
        return p;
    }

    String mixtureOf(String product) {
        return mixtureOf.get(product);
    }

    Unit unitOfMixture(String mixture) {
        return products.entrySet().stream().filter(e -> mixtureOf.get(e.getKey()).equals(mixture))
                .map(e -> e.getValue().unit()).findFirst().orElse(null);
    }
}
