package eu.massbalance.ledger.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN while one poll of the ERP topic has been in hand for longer than
 * {@code ledger.health.max-poll-duration}: a consumer that makes no progress is not alive, whatever
 * its threads say. (A poll is at most 1,000 records and normally takes well under a second.)
 */
@Liveness
@ApplicationScoped
public class ErpConsumerHealth implements HealthCheck {

    @Inject
    ErpDeliveryConsumer consumer;

    @ConfigProperty(name = "ledger.health.max-poll-duration", defaultValue = "PT5M")
    Duration maxPollDuration;

    @Override
    public HealthCheckResponse call() {
        Optional<Duration> busy = consumer.busyFor();
        boolean stuck = busy.isPresent() && busy.get().compareTo(maxPollDuration) > 0;
        return HealthCheckResponse.named("erp-consumer").status(!stuck)
                .withData("pollInHandSeconds", busy.map(Duration::toSeconds).orElse(0L)).build();
    }
}
