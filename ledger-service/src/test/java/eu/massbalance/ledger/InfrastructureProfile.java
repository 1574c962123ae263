package eu.massbalance.ledger;

import eu.massbalance.testinfra.KafkaTestResource;
import eu.massbalance.testinfra.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** Every test in this module talks to the real in-JVM Kafka broker and the embedded PostgreSQL. */
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
public final class InfrastructureProfile {
}
