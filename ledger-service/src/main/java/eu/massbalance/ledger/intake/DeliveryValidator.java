package eu.massbalance.ledger.intake;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.MaterialProfile;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.UnitConversion;
import eu.massbalance.contracts.erp.ErpDelivery;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one validation path for deliveries, whether they come over REST or from the ERP topic.
 * Returns every problem it finds, each with a field path and a stable code.
 */
public final class DeliveryValidator {

    private final Duration futureTolerance;

    public DeliveryValidator(Duration futureTolerance) {
        this.futureTolerance = futureTolerance;
    }

    public List<FieldProblem> validate(ErpDelivery d, SiteConfigured site, Instant now) {
        List<FieldProblem> problems = new ArrayList<>();
        if (blank(d.deliveryId())) {
            problems.add(new FieldProblem("deliveryId", "REQUIRED", "deliveryId (the ERP's id, unique per site) is required"));
        }
        if (!withinBounds(d, problems)) {
            // nothing below may compute with, or print, a value that is out of bounds
            return problems;
        }
        if (d.direction() == null) {
            problems.add(new FieldProblem("direction", "REQUIRED", "direction is INBOUND or OUTBOUND"));
        }
        if (d.occurredAt() == null) {
            problems.add(new FieldProblem("occurredAt", "REQUIRED", "occurredAt (ISO-8601 with offset) is required"));
        } else if (d.occurredAt().toInstant().isAfter(now.plus(futureTolerance))) {
            problems.add(new FieldProblem("occurredAt", "DATE_IN_FUTURE",
                    "occurredAt is more than " + futureTolerance.toHours() + " h in the future"));
        } else if (YearMonth.from(d.occurredAt().atZoneSameInstant(ZoneId.of(site.timeZone()))).isBefore(site.firstPeriod())) {
            // the engine would refuse it (R-08: nothing is booked before the first period); say so now
            problems.add(new FieldProblem("occurredAt", "DATE_BEFORE_FIRST_PERIOD", "occurredAt is before the site's first period "
                    + site.firstPeriod() + " (in the site's time zone " + site.timeZone() + ")"));
        }
        ProductConfig product = null;
        if (blank(d.product())) {
            problems.add(new FieldProblem("product", "REQUIRED", "product is required"));
        } else {
            product = site.products().stream().filter(p -> p.product().equals(d.product())).findFirst().orElse(null);
            if (product == null) {
                problems.add(new FieldProblem("product", "PRODUCT_NOT_AT_SITE", "Product " + d.product() + " is not kept at site "
                        + site.siteId() + "; known: " + site.products().stream().map(ProductConfig::product).toList()));
            }
        }
        Optional<Unit> unit = Optional.empty();
        BigDecimal amount = null;
        if (d.quantity() == null) {
            problems.add(new FieldProblem("quantity", "REQUIRED", "quantity {amount, unit} is required"));
        } else {
            amount = d.quantity().amount();
            if (amount == null) {
                problems.add(new FieldProblem("quantity.amount", "REQUIRED", "quantity.amount is required"));
            } else if (amount.signum() <= 0) {
                problems.add(new FieldProblem("quantity.amount", "NOT_POSITIVE", "quantity.amount must be positive"));
            }
            if (blank(d.quantity().unit())) {
                problems.add(new FieldProblem("quantity.unit", "REQUIRED", "quantity.unit is required"));
            } else {
                unit = Unit.fromSymbol(d.quantity().unit());
                if (unit.isEmpty()) {
                    problems.add(new FieldProblem("quantity.unit", "UNIT_UNKNOWN", "Unknown unit " + d.quantity().unit()
                            + "; known: m3, l, t, kg, MJ, GJ, kWh, MWh, Nm3"));
                }
            }
        }
        if (product != null && unit.isPresent()) {
            try {
                BigDecimal factor = UnitConversion.factor(unit.get(), product.unit(),
                        d.density() != null ? d.density() : product.density(),
                        d.lowerHeatingValue() != null ? d.lowerHeatingValue() : product.lowerHeatingValue());
                if (amount != null && amount.signum() > 0 && !Bounds.amountFits(UnitConversion.convert(amount, factor).abs())) {
                    problems.add(new FieldProblem("quantity.amount", "AMOUNT_OUT_OF_RANGE", "quantity.amount converted to "
                            + product.unit() + " must be below 10^" + Bounds.AMOUNT_INTEGER_DIGITS));
                }
            } catch (UnitConversion.NotConvertible e) {
                problems.add(new FieldProblem("quantity.unit", e.code(), e.getMessage()));
            }
        }
        validateLines(d, site, amount, problems);
        return problems;
    }

    private static void validateLines(ErpDelivery d, SiteConfigured site, BigDecimal amount, List<FieldProblem> problems) {
        List<ErpDelivery.Line> lines = d.sustainable() == null ? List.of() : d.sustainable();
        BigDecimal sum = BigDecimal.ZERO;
        Set<String> batchIds = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String at = "sustainable[" + i + "]";
            ErpDelivery.Line line = lines.get(i);
            if (line == null) {
                problems.add(new FieldProblem(at, "REQUIRED", "A sustainable line cannot be null"));
                continue;
            }
            if (line.amount() == null) {
                problems.add(new FieldProblem(at + ".amount", "REQUIRED", "amount is required"));
            } else if (line.amount().signum() <= 0) {
                problems.add(new FieldProblem(at + ".amount", "NOT_POSITIVE", "amount must be positive"));
            } else {
                sum = sum.add(line.amount());
            }
            if (d.direction() == ErpDelivery.Direction.INBOUND) {
                if (blank(line.batchId())) {
                    problems.add(new FieldProblem(at + ".batchId", "REQUIRED", "Every sustainable batch received needs its batchId"));
                } else if (!batchIds.add(line.batchId())) {
                    problems.add(new FieldProblem(at + ".batchId", "DUPLICATE", "Batch " + line.batchId() + " is listed twice"));
                }
                if (line.characteristics() == null) {
                    problems.add(new FieldProblem(at + ".characteristics", "REQUIRED",
                            "A sustainable batch needs its full characteristics (R-02)"));
                } else {
                    Optional<MaterialProfile> profile = MaterialProfile.byId(line.characteristics().profile());
                    if (profile.isEmpty()) {
                        problems.add(new FieldProblem(at + ".characteristics.profile", "PROFILE_UNKNOWN",
                                "Unknown material profile '" + line.characteristics().profile() + "'; known: " + String.join(", ",
                                        MaterialProfile.KNOWN.stream().map(MaterialProfile::id).toList())));
                    } else {
                        profile.get().validate(line.characteristics())
                                .forEach(p -> problems.add(p.prefixed(at + ".characteristics")));
                    }
                }
            } else if (d.direction() == ErpDelivery.Direction.OUTBOUND) {
                if (line.characteristics() != null) {
                    problems.add(new FieldProblem(at + ".characteristics", "NOT_ALLOWED",
                            "An outbound takes the characteristics of the batches it draws from (R-03)"));
                }
                if (site.allocation() == SiteConfigured.AllocationPolicy.EXPLICIT && blank(line.batchId())) {
                    problems.add(new FieldProblem(at + ".batchId", "REQUIRED", "This site allocates explicitly: name the batch"));
                }
            }
        }
        if (amount != null && sum.compareTo(amount) > 0) {
            problems.add(new FieldProblem("sustainable", "SUSTAINABLE_EXCEEDS_QUANTITY",
                    "The sustainable lines (" + sum.toPlainString() + ") exceed quantity.amount (" + amount.toPlainString() + ")"));
        }
        if (d.direction() == ErpDelivery.Direction.INBOUND && !lines.isEmpty() && blank(d.supplierId())) {
            problems.add(new FieldProblem("supplierId", "REQUIRED", "A sustainable inbound needs its supplierId (R-16)"));
        }
    }

    /** The longest delivery id of a transfer: its id at the destination is {@code <source site>:<delivery id>}. */
    static final int TRANSFER_DELIVERY_ID_LENGTH = 99;

    /**
     * an outbound that names a destination moves material to another site of the same
     * organisation that keeps the product; anything else is refused before it is appended.
     * {@code destination} is the named site's configuration, if it is registered.
     */
    public static List<FieldProblem> transferProblems(ErpDelivery d, SiteConfigured site, Optional<SiteConfigured> destination) {
        List<FieldProblem> problems = new ArrayList<>();
        if (d.destinationSiteId() == null) {
            return problems;
        }
        if (d.direction() != ErpDelivery.Direction.OUTBOUND) {
            problems.add(new FieldProblem("destinationSiteId", "NOT_ALLOWED", "Only an outbound names a destination site"));
            return problems;
        }
        if (!Bounds.isSiteId(d.destinationSiteId())) {
            Bounds.siteId("destinationSiteId", d.destinationSiteId(), problems);
            return problems;
        }
        if (d.deliveryId() != null && d.deliveryId().length() > TRANSFER_DELIVERY_ID_LENGTH) {
            problems.add(new FieldProblem("deliveryId", "TOO_LONG", "A transfer's deliveryId is at most "
                    + TRANSFER_DELIVERY_ID_LENGTH + " characters"));
        }
        if (Boolean.TRUE.equals(d.taxLiability())) {
            problems.add(new FieldProblem("taxLiability", "NOT_ALLOWED", "A transfer stays within the organisation: tax liability "
                    + "arises where the material is delivered to a customer, and is reported there once (R-21)"));
        }
        if (d.destinationSiteId().equals(site.siteId())) {
            problems.add(new FieldProblem("destinationSiteId", "TRANSFER_TO_SAME_SITE",
                    "A transfer goes to another site; movements within a site are not in or out of its balance (R-06)"));
        } else if (destination.isEmpty()) {
            problems.add(new FieldProblem("destinationSiteId", "TRANSFER_DESTINATION_UNKNOWN", "No site "
                    + d.destinationSiteId() + " is registered"));
        } else if (site.organisationId() == null || !site.organisationId().equals(destination.get().organisationId())) {
            problems.add(new FieldProblem("destinationSiteId", "TRANSFER_OTHER_ORGANISATION", "Site " + d.destinationSiteId()
                    + " is not a site of this site's organisation; material leaves the organisation as an ordinary outbound"));
        } else if (d.product() != null && destination.get().products().stream().noneMatch(p -> p.product().equals(d.product()))) {
            problems.add(new FieldProblem("destinationSiteId", "PRODUCT_NOT_AT_DESTINATION", "Site " + d.destinationSiteId()
                    + " does not keep " + d.product()));
        }
        return problems;
    }

    /** Every identifier, text, amount, date and list of the delivery against {@link Bounds}; true if all fit. */
    static boolean withinBounds(ErpDelivery d, List<FieldProblem> problems) {
        int before = problems.size();
        if (d.deliveryId() != null && !d.deliveryId().isBlank()) {
            Bounds.identifier("deliveryId", d.deliveryId(), problems);
        }
        Bounds.dateTime("occurredAt", d.occurredAt(), problems);
        Bounds.optionalIdentifier("product", d.product(), problems);
        if (d.quantity() != null) {
            Bounds.amount("quantity.amount", d.quantity().amount(), problems);
            Bounds.name("quantity.unit", d.quantity().unit(), problems);
        }
        Bounds.optionalIdentifier("supplierId", d.supplierId(), problems);
        Bounds.name("transportDocument", d.transportDocument(), problems);
        Bounds.name("customerId", d.customerId(), problems);
        Bounds.name("useArea", d.useArea(), problems);
        Bounds.measure("density", d.density(), problems);
        Bounds.measure("lowerHeatingValue", d.lowerHeatingValue(), problems);
        Bounds.listSize("sustainable", d.sustainable(), Bounds.LIST_SIZE, problems);
        if (d.sustainable() != null && d.sustainable().size() <= Bounds.LIST_SIZE) {
            for (int i = 0; i < d.sustainable().size(); i++) {
                ErpDelivery.Line line = d.sustainable().get(i);
                if (line != null) {
                    String at = "sustainable[" + i + "]";
                    Bounds.optionalIdentifier(at + ".batchId", line.batchId(), problems);
                    Bounds.amount(at + ".amount", line.amount(), problems);
                    Bounds.characteristics(at + ".characteristics", line.characteristics(), problems);
                }
            }
        }
        return problems.size() == before;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
