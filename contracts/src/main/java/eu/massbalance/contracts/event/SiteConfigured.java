package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Unit;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A site registered or changed. The last configuration applies from its position
 * in the log on; the period grid (first period, length) cannot change once a period is closed.
 * {@code organisationId} is the reporting company the site belongs to (null on sites registered
 * before organisations existed); {@code requestedBy} the authenticated caller who registered or
 * changed it (null before callers were authenticated); {@code stockCountTolerancePercent} how far a
 * physical stock count may differ from the book stock, in percent of it, before it is a deviation
 * (default 0.5).
 */
public record SiteConfigured(
        String siteId,
        String name,
        String operator,
        String timeZone,
        int periodMonths,
        YearMonth firstPeriod,
        String periodReason,
        List<ProductConfig> products,
        List<BlendGroup> blendGroups,
        OverdraftPolicy overdraft,
        AllocationPolicy allocation,
        EscalationPolicy escalation,
        Integer autoCloseAfterDays,
        String organisationId,
        String requestedBy,
        BigDecimal stockCountTolerancePercent) implements LedgerEvent {

    /** A physical stock count may differ from the book stock by this share of it before it is a deviation. */
    public static final BigDecimal DEFAULT_STOCK_COUNT_TOLERANCE_PERCENT = new BigDecimal("0.5");

    public SiteConfigured(String siteId, String name, String operator, String timeZone, int periodMonths, YearMonth firstPeriod,
                          String periodReason, List<ProductConfig> products, List<BlendGroup> blendGroups,
                          OverdraftPolicy overdraft, AllocationPolicy allocation, EscalationPolicy escalation,
                          Integer autoCloseAfterDays, String organisationId, String requestedBy) {
        this(siteId, name, operator, timeZone, periodMonths, firstPeriod, periodReason, products, blendGroups, overdraft,
                allocation, escalation, autoCloseAfterDays, organisationId, requestedBy, null);
    }

    public SiteConfigured(String siteId, String name, String operator, String timeZone, int periodMonths, YearMonth firstPeriod,
                          String periodReason, List<ProductConfig> products, List<BlendGroup> blendGroups,
                          OverdraftPolicy overdraft, AllocationPolicy allocation, EscalationPolicy escalation,
                          Integer autoCloseAfterDays) {
        this(siteId, name, operator, timeZone, periodMonths, firstPeriod, periodReason, products, blendGroups, overdraft,
                allocation, escalation, autoCloseAfterDays, null, null, null);
    }

    public SiteConfigured(String siteId, String name, String operator, String timeZone, int periodMonths, YearMonth firstPeriod,
                          String periodReason, List<ProductConfig> products, List<BlendGroup> blendGroups,
                          OverdraftPolicy overdraft, AllocationPolicy allocation, EscalationPolicy escalation,
                          Integer autoCloseAfterDays, String organisationId) {
        this(siteId, name, operator, timeZone, periodMonths, firstPeriod, periodReason, products, blendGroups, overdraft,
                allocation, escalation, autoCloseAfterDays, organisationId, null, null);
    }

    public SiteConfigured withOrganisation(String organisation) {
        return new SiteConfigured(siteId, name, operator, timeZone, periodMonths, firstPeriod, periodReason, products,
                blendGroups, overdraft, allocation, escalation, autoCloseAfterDays, organisation, requestedBy,
                stockCountTolerancePercent);
    }

    public SiteConfigured withRequestedBy(String actor) {
        return new SiteConfigured(siteId, name, operator, timeZone, periodMonths, firstPeriod, periodReason, products,
                blendGroups, overdraft, allocation, escalation, autoCloseAfterDays, organisationId, actor,
                stockCountTolerancePercent);
    }

    public SiteConfigured withStockCountTolerance(BigDecimal percent) {
        return new SiteConfigured(siteId, name, operator, timeZone, periodMonths, firstPeriod, periodReason, products,
                blendGroups, overdraft, allocation, escalation, autoCloseAfterDays, organisationId, requestedBy, percent);
    }

    public SiteConfigured {
        products = products == null ? List.of() : List.copyOf(products);
        blendGroups = blendGroups == null ? List.of() : List.copyOf(blendGroups);
        timeZone = timeZone == null ? "Europe/Stockholm" : timeZone;
        overdraft = overdraft == null ? OverdraftPolicy.ALLOW_WITHIN_PERIOD : overdraft;
        allocation = allocation == null ? AllocationPolicy.FIFO : allocation;
        escalation = escalation == null ? EscalationPolicy.DEFAULT : escalation;
        stockCountTolerancePercent = stockCountTolerancePercent == null ? DEFAULT_STOCK_COUNT_TOLERANCE_PERCENT
                : stockCountTolerancePercent;
    }

    /** A product kept at the site, its accounting unit, and optional standing conversion factors. */
    public record ProductConfig(String product, Unit unit, Measure density, Measure lowerHeatingValue) {
        public ProductConfig(String product, Unit unit) {
            this(product, unit, null, null);
        }
    }

    /** Products physically blended at the site, between which characteristics may move. */
    public record BlendGroup(String name, List<String> products) {
        public BlendGroup {
            products = List.copyOf(products);
        }
    }

    public enum OverdraftPolicy { ALLOW_WITHIN_PERIOD, FORBID }

    public enum AllocationPolicy { FIFO, EXPLICIT }

    /** the n-th occurrence of the same rule at the same site within the window upgrades. */
    public record EscalationPolicy(int occurrences, int windowMonths) {
        public static final EscalationPolicy DEFAULT = new EscalationPolicy(2, 12);
    }
}
