package eu.massbalance.ledger.intake;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic event ids: a retried request appends an event with the same id. */
public final class EventIds {

    private EventIds() {
    }

    public static UUID of(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
    }
}
