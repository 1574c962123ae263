package eu.massbalance.projection.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The mass-balance engine is plain Java: no framework may leak into it. */
class EngineArchitectureTest {

    static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("eu.massbalance.projection.engine");

    @Test
    void the_engine_uses_no_framework_types() {
        noClasses().that().resideInAPackage("eu.massbalance.projection.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "jakarta..", "javax..", "org.apache.kafka..", "io.smallrye..", "io.vertx..",
                        "org.hibernate..", "com.fasterxml.jackson..", "org.eclipse.microprofile..", "io.agroal..",
                        "org.postgresql..", "java.sql..", "eu.massbalance.contracts.json..",
                        "eu.massbalance.projection.store..", "eu.massbalance.projection.api..",
                        "eu.massbalance.projection.messaging..")
                .because("the engine is tested rule by rule without infrastructure (design.md §2)")
                .check(ENGINE);
    }

    @Test
    void the_engine_reads_no_clock_and_draws_no_random_numbers() {
        noClasses().that().resideInAPackage("eu.massbalance.projection.engine..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().dependOnClassesThat().belongToAnyOf(java.util.Random.class, java.time.Clock.class)
                .because("the same events in the same order must always give the same state and effects")
                .check(ENGINE);
    }
}
