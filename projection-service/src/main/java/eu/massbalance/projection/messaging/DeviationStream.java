package eu.massbalance.projection.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.contracts.json.LedgerJson;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every instance reads {@code massbalance.deviations.v1} from its end, in a consumer group of
 * its own, and streams the MAJOR deviations to its Server-Sent-Events clients: whichever
 * instance published a deviation, every client sees it.
 */
@ApplicationScoped
public class DeviationStream {

    private final BroadcastProcessor<JsonNode> major = BroadcastProcessor.create();

    @Incoming("deviations-in")
    public void onDeviation(String payload) throws IOException {
        JsonNode deviation = LedgerJson.mapper().readTree(payload);
        if ("MAJOR".equals(deviation.path("deviationClass").asText())) {
            major.onNext(deviation);
        }
    }

    public Multi<JsonNode> major() {
        return major;
    }
}
