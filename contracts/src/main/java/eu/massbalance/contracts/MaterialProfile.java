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

    /** The profiles a batch's characteristics may name, by id. */
    List<MaterialProfile> KNOWN = List.of(new RedBiofuelProfile(), new RawMaterialProfile(), new BatteryMaterialProfile());

    static Optional<MaterialProfile> byId(String id) {
        return KNOWN.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
