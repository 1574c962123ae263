package eu.massbalance.projection.messaging;

import eu.massbalance.projection.store.Projector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN once a batch could be stored neither as prepared nor when applied again from the journal:
 * the consumer has moved past records that are not stored, so the instance must be restarted (it
 * then resumes at the offsets stored in the database).
 */
@Liveness
@ApplicationScoped
public class ProjectionHealth implements HealthCheck {

    @Inject
    Projector projector;

    @Override
    public HealthCheckResponse call() {
        return projector.broken()
                .map(e -> HealthCheckResponse.named("projection-writer").down().withData("error", String.valueOf(e)).build())
                .orElseGet(() -> HealthCheckResponse.up("projection-writer"));
    }
}
