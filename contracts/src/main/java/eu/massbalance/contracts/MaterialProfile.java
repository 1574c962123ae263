package eu.massbalance.contracts;

import java.util.List;
import java.util.Optional;

/** The fields a material profile requires of a batch's characteristics, and their checks. */
public interface MaterialProfile {

    String id();

    List<FieldProblem> validate(Characteristics characteristics);

    /** The country of origin every profile requires: an ISO 3166-1 alpha-2 code. */
    static Optional<FieldProblem> countryOfOrigin(Characteristics c) {
        String country = c.text("countryOfOrigin").orElse("");
        return java.util.Arrays.asList(java.util.Locale.getISOCountries()).contains(country)
                ? Optional.empty()
                : Optional.of(new FieldProblem("countryOfOrigin", "COUNTRY_INVALID",
                        "countryOfOrigin must be an ISO 3166-1 alpha-2 code, was '" + country + "'"));
    }

    static Optional<MaterialProfile> byId(String id) {
        if (RedBiofuelProfile.ID.equals(id)) {
            return Optional.of(new RedBiofuelProfile());
        }
        return RawMaterialProfile.ID.equals(id) ? Optional.of(new RawMaterialProfile()) : Optional.empty();
    }
}
