package eu.massbalance.projection;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The projection's layers: REST resources read through the store; the store applies the engine
 * and writes what it returns; messaging carries Kafka to and from the store; the engine knows
 * none of them.
 */
class LayeringTest {

    static final JavaClasses PROJECTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eu.massbalance.projection");

    @Test
    void each_layer_uses_only_the_layers_below_it() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy("eu.massbalance.projection.api..")
                .layer("messaging").definedBy("eu.massbalance.projection.messaging..")
                .layer("store").definedBy("eu.massbalance.projection.store..")
                .layer("engine").definedBy("eu.massbalance.projection.engine..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("messaging").mayOnlyBeAccessedByLayers("api")
                .whereLayer("store").mayOnlyBeAccessedByLayers("api", "messaging")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("api", "messaging", "store")
                .check(PROJECTION);
    }

    @Test
    void the_packages_have_no_cycles() {
        slices().matching("eu.massbalance.projection.(*)..").should().beFreeOfCycles().check(PROJECTION);
    }
}
