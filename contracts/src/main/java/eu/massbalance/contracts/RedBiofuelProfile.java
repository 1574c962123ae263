package eu.massbalance.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Biofuels and bioliquids under the Renewable Energy Directive: the characteristics a–o of
 * 5 kap. 1 § HBFS, plus the evidence that must travel with them.
 */
public final class RedBiofuelProfile implements MaterialProfile {

    public static final String ID = "red-biofuel-v1";

    private static final Set<String> RAW_MATERIAL_GROUPS = Set.of("CEREALS_STARCH", "SUGAR", "OIL_CROPS", "OTHER");
    private static final Set<String> ANNEX_IX = Set.of("A", "B", "NONE");
    private static final Set<String> GHG_METHODS = Set.of("DEFAULT", "DISAGGREGATED", "ACTUAL");
    private static final Set<String> CELLULOSE_TYPES = Set.of("NONE", "CELLULOSIC", "LIGNOCELLULOSIC");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<FieldProblem> validate(Characteristics c) {
        List<FieldProblem> problems = new ArrayList<>();
        requireText(c, "fuelCategory", problems);
        requireText(c, "rawMaterial", problems);
        requireText(c, "voluntaryScheme", problems);
        requireText(c, "proofOfSustainability", problems);
        requireOneOf(c, "rawMaterialGroup", RAW_MATERIAL_GROUPS, problems);
        requireOneOf(c, "annexIX", ANNEX_IX, problems);
        requireOneOf(c, "ghgMethod", GHG_METHODS, problems);
        requireOneOf(c, "celluloseType", CELLULOSE_TYPES, problems);
        if (c.flag("residueOrWaste").isEmpty()) {
            problems.add(new FieldProblem("residueOrWaste", "REQUIRED", "residueOrWaste must be true or false"));
        }
        MaterialProfile.countryOfOrigin(c).ifPresent(problems::add);
        requireMeasure(c, "lowerHeatingValue", Set.of("MJ/l", "MJ/kg", "MJ/m3", "GJ/t"), problems);
        requireMeasure(c, "ghgEmissions", Set.of("gCO2e/MJ"), problems);
        if (c.date("installationStart").isEmpty()) {
            problems.add(new FieldProblem("installationStart", "REQUIRED",
                    "installationStart (YYYY-MM-DD) decides the GHG saving threshold (R-19)"));
        }
        if ("DEFAULT".equals(c.text("ghgMethod").orElse(null)) && c.text("productionPathway").isEmpty()) {
            problems.add(new FieldProblem("productionPathway", "REQUIRED",
                    "productionPathway is required when default GHG values are used"));
        }
        return problems;
    }

    private static void requireText(Characteristics c, String field, List<FieldProblem> problems) {
        if (c.text(field).isEmpty()) {
            problems.add(new FieldProblem(field, "REQUIRED", field + " is required for a sustainable batch"));
        }
    }

    private static void requireOneOf(Characteristics c, String field, Set<String> allowed, List<FieldProblem> problems) {
        String value = c.text(field).orElse(null);
        if (value == null) {
            problems.add(new FieldProblem(field, "REQUIRED", field + " is required, one of " + allowed));
        } else if (!allowed.contains(value)) {
            problems.add(new FieldProblem(field, "VALUE_NOT_ALLOWED", field + " must be one of " + allowed + ", was " + value));
        }
    }

    private static void requireMeasure(Characteristics c, String field, Set<String> units, List<FieldProblem> problems) {
        c.measure(field).ifPresentOrElse(m -> {
            if (!units.contains(m.unit())) {
                problems.add(new FieldProblem(field + ".unit", "UNIT_UNKNOWN", field + " unit must be one of " + units));
            }
            if (m.amount().signum() < 0) {
                problems.add(new FieldProblem(field + ".amount", "NEGATIVE", field + " must not be negative"));
            }
        }, () -> problems.add(new FieldProblem(field, "REQUIRED", field + " {amount, unit} is required")));
    }
}
