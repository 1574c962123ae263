package eu.massbalance.projection.messaging;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the read models are close to the log: DOWN when the records not yet consumed from the
 * partitions this instance owns exceed {@code projection.health.max-lag}, so that a load balancer
 * sends readers to an instance whose answers are current. The lag is the consumer's own (end
 * offset minus position, as of its last fetch), per partition in the response.
 */
@Readiness
@ApplicationScoped
public class ProjectionLag implements HealthCheck {

    @Inject
    KafkaClientService clients;

    @ConfigProperty(name = "projection.health.max-lag", defaultValue = "100000")
    long maxLag;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("projection-lag").withData("maxLag", maxLag);
        KafkaConsumer<Object, Object> consumer = clients.getConsumer("ledger-in");
        if (consumer == null) {
            return response.up().withData("lag", "unknown: not consuming yet").build();
        }
        Map<String, Long> lag;
        try {
            lag = consumer.runOnPollingThread(c -> {
                Map<String, Long> byPartition = new TreeMap<>();
                c.assignment().forEach(tp -> c.currentLag(tp).ifPresent(l -> byPartition.put(String.valueOf(tp.partition()), l)));
                return byPartition;
            }).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            return response.up().withData("lag", "unknown: the consumer did not answer").build();
        }
        long total = lag.values().stream().mapToLong(Long::longValue).sum();
        lag.forEach((partition, l) -> response.withData("partition-" + partition, l));
        return response.status(total <= maxLag).withData("lag", total).build();
    }
}
