package eu.massbalance.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The battery-materials profile: what a battery passport needs of a batch, each field checked with a clear problem. */
class BatteryMaterialProfileTest {

    /** Nickel sulphate from a refinery: 22 % nickel, 30 % of it recycled (10 pre-, 20 post-consumer), the rest mined in Finland. */
    static Map<String, Object> nickelSulphate() {
        Map<String, Object> fields = new HashMap<>();
        fields.put("material", "NICKEL_SULPHATE");
        fields.put("contentNi", "0.22");
        fields.put("recycledSharePreConsumer", "0.10");
        fields.put("recycledSharePostConsumer", "0.20");
        fields.put("countryOfOrigin", "FI");
        fields.put("recyclingFacility", "Recycler AB, Skellefteå");
        fields.put("dueDiligenceStatus", "VERIFIED");
        fields.put("carbonFootprint", new Measure(new BigDecimal("4.8"), "kgCO2e/kg"));
        fields.put("carbonFootprintMethod", "PEF, EU 2023/1542 Annex II");
        return fields;
    }

    static List<String> problems(Map<String, Object> fields) {
        return MaterialProfile.byId(BatteryMaterialProfile.ID).orElseThrow()
                .validate(Characteristics.of(BatteryMaterialProfile.ID, fields)).stream().map(p -> p.field() + " " + p.code()).toList();
    }

    @Test
    void a_complete_batch_passes_and_the_profile_is_known_by_its_id() {
        assertEquals(List.of(), problems(nickelSulphate()));
        assertTrue(MaterialProfile.KNOWN.stream().anyMatch(p -> p.id().equals("battery-material-v1")));
    }

    @Test
    void black_mass_fully_recycled_needs_no_country_of_origin_but_its_recycler() {
        Map<String, Object> blackMass = nickelSulphate();
        blackMass.put("material", "BLACK_MASS");
        blackMass.put("contentCo", "0.08");
        blackMass.put("contentLi", "0.04");
        blackMass.put("recycledSharePreConsumer", "0.35");
        blackMass.put("recycledSharePostConsumer", "0.65");
        blackMass.remove("countryOfOrigin");
        assertEquals(List.of(), problems(blackMass));
        blackMass.remove("recyclingFacility");
        assertEquals(List.of("recyclingFacility REQUIRED"), problems(blackMass));
    }

    @Test
    void each_field_is_checked_with_its_own_problem() {
        Map<String, Object> f = nickelSulphate();
        f.put("material", "COPPER");
        assertEquals(List.of("material VALUE_NOT_ALLOWED"), problems(f));

        f = nickelSulphate();
        f.put("contentNi", "1.2");
        assertEquals(List.of("contentNi OUT_OF_RANGE"), problems(f));
        f.put("contentNi", "a lot");
        assertEquals(List.of("contentNi NOT_A_NUMBER"), problems(f));
        f.put("contentNi", "0.7");
        f.put("contentCo", "0.4");
        assertEquals(List.of("contentNi SUM_ABOVE_ONE"), problems(f));
        f.remove("contentNi");
        f.remove("contentCo");
        assertEquals(List.of("contentNi REQUIRED"), problems(f));

        f = nickelSulphate();
        f.put("recycledSharePostConsumer", "0.95");
        assertEquals(List.of("recycledSharePostConsumer SUM_ABOVE_ONE"), problems(f));
        f.remove("recycledSharePreConsumer");
        f.put("recycledSharePostConsumer", "0.2");
        assertEquals(List.of("recycledSharePreConsumer REQUIRED"), problems(f));

        f = nickelSulphate();
        f.put("countryOfOrigin", "Finland");
        assertEquals(List.of("countryOfOrigin COUNTRY_INVALID"), problems(f));
        f = nickelSulphate();
        f.put("dueDiligenceStatus", "MAYBE");
        assertEquals(List.of("dueDiligenceStatus VALUE_NOT_ALLOWED"), problems(f));
        f = nickelSulphate();
        f.put("carbonFootprint", new Measure(new BigDecimal("4.8"), "gCO2e/MJ"));
        f.remove("carbonFootprintMethod");
        assertEquals(List.of("carbonFootprint.unit UNIT_UNKNOWN", "carbonFootprintMethod REQUIRED"), problems(f));
    }
}
