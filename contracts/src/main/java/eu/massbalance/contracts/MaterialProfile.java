package eu.massbalance.contracts;

import java.util.List;
import java.util.Optional;

/** The fields a material profile requires of a batch's characteristics, and their checks. */
public interface MaterialProfile {

    String id();

    List<FieldProblem> validate(Characteristics characteristics);

    static Optional<MaterialProfile> byId(String id) {
        if (RedBiofuelProfile.ID.equals(id)) {
            return Optional.of(new RedBiofuelProfile());
        }
        return RawMaterialProfile.ID.equals(id) ? Optional.of(new RawMaterialProfile()) : Optional.empty();
    }
}
