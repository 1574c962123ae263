package eu.massbalance.ledger.api;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.access.Principal;
import eu.massbalance.contracts.event.EventBounds;
import eu.massbalance.contracts.Measure;
import eu.massbalance.contracts.Unit;
import eu.massbalance.contracts.event.SiteConfigured;
import eu.massbalance.contracts.event.SiteConfigured.AllocationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.BlendGroup;
import eu.massbalance.contracts.event.SiteConfigured.EscalationPolicy;
import eu.massbalance.contracts.event.SiteConfigured.OverdraftPolicy;
import eu.massbalance.contracts.event.SiteConfigured.ProductConfig;
import eu.massbalance.ledger.problem.InvalidInput;
import eu.massbalance.ledger.access.SiteAccess;
import eu.massbalance.ledger.intake.SiteRegistry;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Authenticated
@Path("/api/v1/sites/{siteId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Tag(name = "Sites", description = "Clearly bounded sites (R-06) and their balancing periods (R-08)")
public class SiteResource {

    @Inject
    SiteAccess access;

    static final Set<Integer> PERIOD_MONTHS = Set.of(1, 2, 3, 4, 6, 12);

    @Inject
    SiteRegistry registry;

    public record Product(String product, String unit, Measure density, Measure lowerHeatingValue) {
    }

    public record Escalation(Integer occurrences, Integer windowMonths) {
    }

    public record SiteRequest(String name, String operator, String timeZone, Integer periodMonths, String firstPeriod,
                              String periodReason, List<Product> products, List<BlendGroup> blendGroups, String overdraft,
                              String allocation, Escalation escalation, Integer autoCloseAfterDays,
                              java.math.BigDecimal stockCountTolerancePercent) {
    }

    public record Registered(String siteId, boolean created) {
    }

    @PUT
    @Operation(summary = "Register or change a site",
            description = "Period length 1, 2, 3, 4, 6 or 12 months (more than 3 needs periodReason); products with their "
                    + "accounting units; blend groups of physically blended products (R-07); overdraft ALLOW_WITHIN_PERIOD | FORBID; "
                    + "allocation FIFO | EXPLICIT; autoCloseAfterDays null turns auto-close off.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "depot", value = """
            {"name": "Gävle depot", "operator": "556677-8899", "timeZone": "Europe/Stockholm",
             "periodMonths": 1, "firstPeriod": "2025-01", "periodReason": null,
             "products": [{"product": "HVO", "unit": "m3"}, {"product": "FAME", "unit": "m3"}],
             "blendGroups": [], "overdraft": "ALLOW_WITHIN_PERIOD", "allocation": "FIFO",
             "autoCloseAfterDays": 10}""")))
    @APIResponse(responseCode = "201", description = "Registered and appended to the site's log")
    @APIResponse(responseCode = "200", description = "Changed and appended to the site's log")
    @APIResponse(responseCode = "400", description = "Invalid", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "The period grid cannot change once deliveries are accepted",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response put(@PathParam("siteId") String siteId, SiteRequest request) {
        Principal officer = access.officer();
        SiteConfigured configuration = validate(siteId, request).withOrganisation(officer.organisation())
                .withRequestedBy(officer.actor());
        boolean created = registry.register(configuration);
        return Response.status(created ? 201 : 200).entity(new Registered(siteId, created)).build();
    }

    @GET
    @Operation(summary = "A site's current configuration")
    public SiteConfigured get(@PathParam("siteId") String siteId) {
        access.readerOf(siteId);
        return registry.require(siteId);
    }

    static SiteConfigured validate(String siteId, SiteRequest r) {
        if (r == null) {
            throw new InvalidInput("", "REQUIRED", "A site body is required");
        }
        List<FieldProblem> problems = new ArrayList<>();
        Bounds.siteId("siteId", siteId, problems);
        Bounds.listSize("products", r.products(), 100, problems);
        Bounds.listSize("blendGroups", r.blendGroups(), 100, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        if (blank(r.name())) {
            problems.add(new FieldProblem("name", "REQUIRED", "name is required"));
        }
        String zone = blank(r.timeZone()) ? "Europe/Stockholm" : r.timeZone();
        try {
            if (zone.length() > 60) {
                throw new DateTimeException("too long");
            }
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            problems.add(new FieldProblem("timeZone", "TIME_ZONE_INVALID", "Unknown time zone; an IANA zone id such as Europe/Stockholm"));
        }
        if (r.periodMonths() == null) {
            problems.add(new FieldProblem("periodMonths", "REQUIRED", "periodMonths is required: 1, 2, 3, 4, 6 or 12"));
        } else if (!PERIOD_MONTHS.contains(r.periodMonths())) {
            problems.add(new FieldProblem("periodMonths", "PERIOD_LENGTH_INVALID",
                    "periodMonths must be 1, 2, 3, 4, 6 or 12 (never more than 12, R-08); was " + r.periodMonths()));
        } else if (r.periodMonths() > 3 && blank(r.periodReason())) {
            problems.add(new FieldProblem("periodReason", "PERIOD_REASON_REQUIRED",
                    "A period longer than 3 months needs a stated reason, such as a seasonal harvest (R-08)"));
        }
        YearMonth first = null;
        try {
            first = r.firstPeriod() == null ? null : YearMonth.parse(r.firstPeriod());
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem("firstPeriod", "FORMAT", "firstPeriod is YYYY-MM"));
        }
        if (r.firstPeriod() == null) {
            problems.add(new FieldProblem("firstPeriod", "REQUIRED", "firstPeriod (YYYY-MM) is required"));
        }
        List<ProductConfig> products = new ArrayList<>();
        if (r.products() == null || r.products().isEmpty()) {
            problems.add(new FieldProblem("products", "REQUIRED", "A site keeps at least one product"));
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < r.products().size(); i++) {
                Product p = r.products().get(i);
                String at = "products[" + i + "]";
                if (p == null || blank(p.product())) {
                    problems.add(new FieldProblem(at + ".product", "REQUIRED", "product is required"));
                    continue;
                }
                if (!names.add(p.product())) {
                    problems.add(new FieldProblem(at + ".product", "DUPLICATE", "Product " + p.product() + " is listed twice"));
                }
                Unit unit = p.unit() == null ? null : Unit.fromSymbol(p.unit()).orElse(null);
                if (unit == null) {
                    problems.add(new FieldProblem(at + ".unit", "UNIT_UNKNOWN", "unit is one of m3, l, t, kg, MJ, GJ, kWh, MWh, Nm3"));
                } else {
                    products.add(new ProductConfig(p.product(), unit, p.density(), p.lowerHeatingValue()));
                }
            }
        }
        List<BlendGroup> groups = r.blendGroups() == null ? List.of() : r.blendGroups();
        for (int i = 0; i < groups.size(); i++) {
            BlendGroup g = groups.get(i);
            if (g == null || blank(g.name()) || g.products() == null || g.products().size() < 2) {
                problems.add(new FieldProblem("blendGroups[" + i + "]", "BLEND_GROUP_INVALID", "A blend group has a name and at least two products"));
            } else if (r.products() != null && !g.products().stream().allMatch(gp -> r.products().stream().anyMatch(p -> p != null && gp.equals(p.product())))) {
                problems.add(new FieldProblem("blendGroups[" + i + "].products", "BLEND_GROUP_PRODUCT_UNKNOWN", "A blend group names only the site's products"));
            }
        }
        OverdraftPolicy overdraft = parse(OverdraftPolicy.class, r.overdraft(), "overdraft", problems);
        AllocationPolicy allocation = parse(AllocationPolicy.class, r.allocation(), "allocation", problems);
        EscalationPolicy escalation = null;
        if (r.escalation() != null) {
            int occurrences = r.escalation().occurrences() == null ? 2 : r.escalation().occurrences();
            int window = r.escalation().windowMonths() == null ? 12 : r.escalation().windowMonths();
            if (occurrences < 1 || window < 1 || occurrences > 100 || window > 120) {
                problems.add(new FieldProblem("escalation", "ESCALATION_POLICY_INVALID",
                        "occurrences is 1..100 and windowMonths 1..120"));
            }
            escalation = new EscalationPolicy(occurrences, window);
        }
        if (r.autoCloseAfterDays() != null && (r.autoCloseAfterDays() < 0 || r.autoCloseAfterDays() > 366)) {
            problems.add(new FieldProblem("autoCloseAfterDays", "OUT_OF_RANGE", "autoCloseAfterDays is 0..366, or null for no auto-close"));
        }
        if (r.stockCountTolerancePercent() != null && (r.stockCountTolerancePercent().signum() < 0
                || r.stockCountTolerancePercent().compareTo(new java.math.BigDecimal("100")) > 0)) {
            problems.add(new FieldProblem("stockCountTolerancePercent", "OUT_OF_RANGE",
                    "stockCountTolerancePercent is 0..100 (percent of the book stock), or null for the default 0.5"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems);
        }
        SiteConfigured configuration = new SiteConfigured(siteId, r.name(), r.operator(), zone, r.periodMonths(), first,
                r.periodReason(), products, groups, overdraft, allocation, escalation, r.autoCloseAfterDays())
                .withStockCountTolerance(r.stockCountTolerancePercent());
        // every text, identifier, measure and date within what the log and the read models hold
        List<FieldProblem> beyond = EventBounds.problems(configuration);
        if (!beyond.isEmpty()) {
            throw new InvalidInput(beyond);
        }
        return configuration;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field, List<FieldProblem> problems) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field, "VALUE_NOT_ALLOWED", field + " is one of " + List.of(type.getEnumConstants())));
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
