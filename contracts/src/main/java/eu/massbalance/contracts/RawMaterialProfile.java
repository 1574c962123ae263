package eu.massbalance.contracts;

import java.util.ArrayList;
import java.util.List;

/**
 * Agricultural raw material at a reception or storage site (a grain reception, say: R-06), before
 * it becomes a fuel: the raw material, its country of origin and its GHG emissions so far, with
 * an explicit unit (per kg or per tonne of raw material, as in the guidance's Figure 8).
 */
public final class RawMaterialProfile implements MaterialProfile {

    public static final String ID = "raw-material-v1";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<FieldProblem> validate(Characteristics c) {
        List<FieldProblem> problems = new ArrayList<>();
        if (c.text("rawMaterial").isEmpty()) {
            problems.add(new FieldProblem("rawMaterial", "REQUIRED", "rawMaterial is required"));
        }
        MaterialProfile.countryOfOrigin(c).ifPresent(problems::add);
        c.measure("ghgEmissions").ifPresentOrElse(m -> {
            if (!m.unit().contains("CO2")) {
                problems.add(new FieldProblem("ghgEmissions.unit", "UNIT_UNKNOWN", "ghgEmissions unit names CO2, e.g. gCO2/kg"));
            }
        }, () -> problems.add(new FieldProblem("ghgEmissions", "REQUIRED", "ghgEmissions {amount, unit} is required")));
        return problems;
    }
}
