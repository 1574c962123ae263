package eu.massbalance.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * what a processing run's output batch is, from the input batch it was made of. What is per
 * unit of material carries over unchanged and a run may not state it: the raw material, its
 * country of origin and group, the Annex IX part, whether it is a residue, the cellulose type, the
 * recycled shares, the recycling facility and the due-diligence status. What belongs to the
 * product made (its fuel category or material, heating value, content, and a value per MJ or per kg
 * of it such as GHG emissions or carbon footprint) is carried too unless the run declares it for
 * the output (declaring any element content replaces the input's whole composition); a declared
 * value is the same for every output batch of that product, never an
 * average of the inputs. The result is validated against its profile like any batch.
 */
public final class ProcessingRule {

    /** Per unit of material: carried, never declared. */
    public static final Set<String> CARRIED = Set.of("rawMaterial", "countryOfOrigin", "rawMaterialGroup", "annexIX",
            "residueOrWaste", "celluloseType", "recycledSharePreConsumer", "recycledSharePostConsumer", "recyclingFacility",
            "dueDiligenceStatus");

    private ProcessingRule() {
    }

    /** A mass fraction of an element in the material ({@code contentNi}, …): part of the product's composition. */
    private static boolean isContent(String field) {
        return field.startsWith("content") && field.length() > "content".length();
    }

    /** What a run may not declare for an output: any field carried from the material. */
    public static List<FieldProblem> problems(String field, Characteristics declared) {
        List<FieldProblem> problems = new ArrayList<>();
        if (declared == null) {
            return problems;
        }
        if (MaterialProfile.byId(declared.profile()).isEmpty()) {
            problems.add(new FieldProblem(field + ".profile", "PROFILE_UNKNOWN", "profile must be one of "
                    + MaterialProfile.KNOWN.stream().map(MaterialProfile::id).toList()));
        }
        for (String name : declared.fields().keySet()) {
            if (CARRIED.contains(name)) {
                problems.add(new FieldProblem(field + "." + name, "CARRIED_FROM_INPUT", name
                        + " is per unit of material and carries over from the input batch unchanged (R-23); do not declare it"));
            }
        }
        return problems;
    }

    /** The output batch's characteristics: the input's, with the declared fields laid over them. */
    public static Characteristics output(Characteristics input, Characteristics declared) {
        if (declared == null) {
            return input;
        }
        TreeMap<String, Object> fields = new TreeMap<>(input.fields());
        if (declared.fields().keySet().stream().anyMatch(ProcessingRule::isContent)) {
            // a composition is the product's own: the output's declared contents replace the input's, all of them
            fields.keySet().removeIf(ProcessingRule::isContent);
        }
        declared.fields().forEach((name, value) -> {
            if (!CARRIED.contains(name)) {
                fields.put(name, value);
            }
        });
        return new Characteristics(declared.profile(), fields);
    }
}
