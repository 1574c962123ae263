package eu.massbalance.projection.engine;

import java.util.List;

/** The outcome of applying one event: its per-site sequence number and its effects. */
public record Applied(long seq, List<Effect> effects) {

    public boolean refused() {
        return effects.size() == 1 && effects.get(0) instanceof Effect.Refused;
    }

    public <T extends Effect> List<T> effects(Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
