package eu.massbalance.projection;

import eu.massbalance.testinfra.KafkaTestResource;
import eu.massbalance.testinfra.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every test in this module talks to the real in-JVM Kafka broker and the embedded PostgreSQL. */
@QuarkusTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = "principal", value = "projection-service"))
@QuarkusTestResource(PostgresTestResource.class)
public final class InfrastructureProfile {
}
