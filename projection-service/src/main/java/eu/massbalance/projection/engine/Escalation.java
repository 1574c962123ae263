package eu.massbalance.projection.engine;

import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.SiteConfigured.EscalationPolicy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * the n-th occurrence of the same rule at the same site within the window (default: the
 * second within 12 months) is upgraded one class: OBSERVATION to MINOR, MINOR to MAJOR.
 */
final class Escalation {

    private final Map<Deviation.Rule, List<LocalDate>> occurrences = new EnumMap<>(Deviation.Rule.class);

    /** Records an occurrence and returns the class it gets. */
    DeviationClass classify(Deviation.Rule rule, LocalDate on, EscalationPolicy policy) {
        List<LocalDate> earlier = occurrences.computeIfAbsent(rule, r -> new ArrayList<>());
        long within = earlier.stream()
                .filter(d -> d.isAfter(on.minusMonths(policy.windowMonths())) && d.isBefore(on.plusMonths(policy.windowMonths())))
                .count();
        earlier.add(on);
        DeviationClass base = rule.defaultClass();
        if (within + 1 < policy.occurrences()) {
            return base;
        }
        return switch (base) {
            case OBSERVATION -> DeviationClass.MINOR;
            case MINOR, MAJOR -> DeviationClass.MAJOR;
        };
    }
}
