package eu.massbalance.contracts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Battery materials and critical raw materials under the EU Battery Regulation (2023/1542): what a
 * battery passport needs of each batch. Recycled content is declared per element and split into
 * pre-consumer and post-consumer shares (Article 8), with the facility that recycled it; the
 * primary part has its country of origin; due diligence (Article 48) has a status; the carbon
 * footprint is per kg of material with its method (Article 7).
 *
 * <ul>
 * <li>{@code material}: the element or compound, one of {@link #MATERIALS};</li>
 * <li>{@code contentCo}, {@code contentLi}, {@code contentNi}, {@code contentMn}, {@code contentPb}: mass
 * fractions from 0 to 1 of the elements the regulation counts; at least one, together at most 1;</li>
 * <li>{@code recycledSharePreConsumer}, {@code recycledSharePostConsumer}: fractions from 0 to 1 of the
 * material, together at most 1;</li>
 * <li>{@code countryOfOrigin} (ISO 3166-1 alpha-2) of the primary part, required while any of it is primary;</li>
 * <li>{@code recyclingFacility}, required while any of it is recycled;</li>
 * <li>{@code dueDiligenceStatus}: one of {@link #DUE_DILIGENCE};</li>
 * <li>{@code carbonFootprint} {amount, unit kgCO2e/kg} and {@code carbonFootprintMethod}.</li>
 * </ul>
 */
public final class BatteryMaterialProfile implements MaterialProfile {

    public static final String ID = "battery-material-v1";

    public static final Set<String> MATERIALS = Set.of("Co", "Li", "Ni", "Mn", "Pb", "BLACK_MASS", "NICKEL_SULPHATE",
            "COBALT_SULPHATE", "MANGANESE_SULPHATE", "LITHIUM_HYDROXIDE", "LITHIUM_CARBONATE", "NICKEL_HYDROXIDE",
            "COBALT_HYDROXIDE", "PRECURSOR_CAM", "CATHODE_ACTIVE_MATERIAL", "LEAD_METAL");

    /** The elements whose recycled content the regulation counts, by their content field. */
    public static final Map<String, String> ELEMENTS = Map.of("contentCo", "Co", "contentLi", "Li", "contentNi", "Ni",
            "contentMn", "Mn", "contentPb", "Pb");

    public static final Set<String> DUE_DILIGENCE = Set.of("VERIFIED", "SELF_DECLARED", "PENDING", "NOT_REQUIRED");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<FieldProblem> validate(Characteristics c) {
        List<FieldProblem> problems = new ArrayList<>();
        String material = c.text("material").orElse(null);
        if (material == null) {
            problems.add(new FieldProblem("material", "REQUIRED", "material is required, one of " + MATERIALS));
        } else if (!MATERIALS.contains(material)) {
            problems.add(new FieldProblem("material", "VALUE_NOT_ALLOWED", "material must be one of " + MATERIALS + ", was " + material));
        }

        BigDecimal contents = BigDecimal.ZERO;
        int declared = 0;
        for (String field : ELEMENTS.keySet().stream().sorted().toList()) {
            if (c.fields().containsKey(field)) {
                Optional<BigDecimal> fraction = fraction(c, field, problems);
                if (fraction.isPresent()) {
                    contents = contents.add(fraction.get());
                    declared++;
                }
            }
        }
        if (declared == 0 && problems.stream().noneMatch(p -> p.field().startsWith("content"))) {
            problems.add(new FieldProblem("contentNi", "REQUIRED", "at least one element's content is required as a mass fraction"
                    + " (contentCo, contentLi, contentNi, contentMn, contentPb)"));
        } else if (contents.compareTo(BigDecimal.ONE) > 0) {
            problems.add(new FieldProblem("contentNi", "SUM_ABOVE_ONE", "the elements' mass fractions add up to " + contents.toPlainString()
                    + ", more than 1"));
        }

        Optional<BigDecimal> pre = required(c, "recycledSharePreConsumer", problems);
        Optional<BigDecimal> post = required(c, "recycledSharePostConsumer", problems);
        BigDecimal recycled = pre.orElse(BigDecimal.ZERO).add(post.orElse(BigDecimal.ZERO));
        if (recycled.compareTo(BigDecimal.ONE) > 0) {
            problems.add(new FieldProblem("recycledSharePostConsumer", "SUM_ABOVE_ONE", "the recycled shares add up to "
                    + recycled.toPlainString() + ", more than 1"));
        }
        if (recycled.compareTo(BigDecimal.ONE) < 0 || c.fields().containsKey("countryOfOrigin")) {
            MaterialProfile.countryOfOrigin(c).ifPresent(problems::add);
        }
        if (recycled.signum() > 0 && c.text("recyclingFacility").isEmpty()) {
            problems.add(new FieldProblem("recyclingFacility", "REQUIRED", "recyclingFacility is required when part of the material is"
                    + " recycled"));
        }

        String diligence = c.text("dueDiligenceStatus").orElse(null);
        if (diligence == null || !DUE_DILIGENCE.contains(diligence)) {
            problems.add(new FieldProblem("dueDiligenceStatus", diligence == null ? "REQUIRED" : "VALUE_NOT_ALLOWED",
                    "dueDiligenceStatus must be one of " + DUE_DILIGENCE + (diligence == null ? "" : ", was " + diligence)));
        }
        c.measure("carbonFootprint").ifPresentOrElse(m -> {
            if (!"kgCO2e/kg".equals(m.unit())) {
                problems.add(new FieldProblem("carbonFootprint.unit", "UNIT_UNKNOWN", "carbonFootprint is given in kgCO2e/kg"));
            }
            if (m.amount().signum() < 0) {
                problems.add(new FieldProblem("carbonFootprint.amount", "NEGATIVE", "carbonFootprint must not be negative"));
            }
        }, () -> problems.add(new FieldProblem("carbonFootprint", "REQUIRED", "carbonFootprint {amount, unit kgCO2e/kg} is required")));
        if (c.text("carbonFootprintMethod").isEmpty()) {
            problems.add(new FieldProblem("carbonFootprintMethod", "REQUIRED", "carbonFootprintMethod names how the footprint was"
                    + " calculated"));
        }
        return problems;
    }

    private static Optional<BigDecimal> required(Characteristics c, String field, List<FieldProblem> problems) {
        if (!c.fields().containsKey(field)) {
            problems.add(new FieldProblem(field, "REQUIRED", field + " is required, a fraction from 0 to 1"));
            return Optional.empty();
        }
        return fraction(c, field, problems);
    }

    /** A fraction from 0 to 1, given as a decimal (a JSON string or number). */
    private static Optional<BigDecimal> fraction(Characteristics c, String field, List<FieldProblem> problems) {
        Object value = c.fields().get(field);
        try {
            BigDecimal fraction = new BigDecimal(String.valueOf(value));
            if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
                problems.add(new FieldProblem(field, "OUT_OF_RANGE", field + " is a fraction from 0 to 1, was " + fraction.toPlainString()));
                return Optional.empty();
            }
            return Optional.of(fraction);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "NOT_A_NUMBER", field + " is a fraction from 0 to 1, was '" + value + "'"));
            return Optional.empty();
        }
    }
}
