package eu.massbalance.projection.messaging;

import eu.massbalance.projection.store.Projector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once a batch could be stored neither as prepared nor when applied again from the journal
 * (the consumer has moved past records that are not stored, so the instance must be restarted; it
 * then resumes at the offsets stored in the database), and DOWN while one batch has been in hand
 * for longer than {@code projection.health.max-batch-duration}: a consumer that makes no progress
 * is not alive, whatever its threads say.
 */
@Liveness
@ApplicationScoped
public class ProjectionHealth implements HealthCheck {

    @Inject
    Projector projector;

    @ConfigProperty(name = "projection.health.max-batch-duration", defaultValue = "PT5M")
    Duration maxBatchDuration;

    @Override
    public HealthCheckResponse call() {
        if (projector.broken().isPresent()) {
            return HealthCheckResponse.named("projection-writer").down()
                    .withData("error", "a batch could be stored neither as prepared nor applied again; see the log").build();
        }
        Optional<Duration> busy = projector.busyFor();
        if (busy.isPresent() && busy.get().compareTo(maxBatchDuration) > 0) {
            return HealthCheckResponse.named("projection-writer").down()
                    .withData("error", "one batch has been in hand for " + busy.get().toSeconds() + " s, longer than "
                            + maxBatchDuration.toSeconds() + " s")
                    .build();
        }
        return HealthCheckResponse.named("projection-writer").up()
                .withData("batchInHandSeconds", busy.map(Duration::toSeconds).orElse(0L)).build();
    }
}
