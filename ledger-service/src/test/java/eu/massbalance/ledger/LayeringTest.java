package eu.massbalance.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The write side's layers: REST resources check the caller's role and grants ({@code access}), then
 * they, the ERP topic consumer and the scheduler hand commands to intake; intake validates, records in the store and appends to the log; how a command is
 * refused ({@code problem}) is shared by all. SQL lives in the store alone.
 */
class LayeringTest {

    static final JavaClasses LEDGER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eu.massbalance.ledger");

    @Test
    void each_layer_uses_only_the_layers_below_it() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy("eu.massbalance.ledger.api..")
                .layer("access").definedBy("eu.massbalance.ledger.access..")
                .layer("messaging").definedBy("eu.massbalance.ledger.messaging..")
                .layer("scheduling").definedBy("eu.massbalance.ledger.scheduling..")
                .layer("intake").definedBy("eu.massbalance.ledger.intake..")
                .layer("log").definedBy("eu.massbalance.ledger.log..")
                .layer("store").definedBy("eu.massbalance.ledger.store..")
                .layer("problem").definedBy("eu.massbalance.ledger.problem..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("messaging").mayNotBeAccessedByAnyLayer()
                .whereLayer("scheduling").mayNotBeAccessedByAnyLayer()
                .whereLayer("access").mayOnlyBeAccessedByLayers("api")
                .whereLayer("intake").mayOnlyBeAccessedByLayers("api", "access", "messaging", "scheduling")
                .whereLayer("log").mayOnlyBeAccessedByLayers("intake", "messaging")
                .whereLayer("store").mayOnlyBeAccessedByLayers("intake", "access", "api")
                .check(LEDGER);
    }

    @Test
    void the_packages_have_no_cycles() {
        slices().matching("eu.massbalance.ledger.(*)..").should().beFreeOfCycles().check(LEDGER);
    }

    @Test
    void sql_is_written_in_the_store_only() {
        noClasses().that().resideOutsideOfPackage("eu.massbalance.ledger.store..")
                .should().dependOnClassesThat().belongToAnyOf(java.sql.Connection.class, java.sql.PreparedStatement.class,
                        java.sql.Statement.class, java.sql.ResultSet.class, io.agroal.api.AgroalDataSource.class)
                .check(LEDGER);
    }

    @Test
    void time_comes_from_the_injected_clock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .because("tests and the scheduler set the time through the one Clock bean")
                .check(LEDGER);
    }
}
