package eu.massbalance.projection.engine;

import eu.massbalance.contracts.event.DeviationClass;
import eu.massbalance.contracts.event.SiteConfigured.EscalationPolicy;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * a deviation recurring on another occasion is upgraded one class (OBSERVATION to MINOR,
 * MINOR to MAJOR). An occasion is a period: occurrences of a rule in the same period are one
 * occasion and keep their class. A deviation is upgraded when the same rule was raised at the site
 * in earlier periods that began at most the policy's window before this one, so that this is at
 * least the policy's n-th occasion (default: the second within 12 months).
 */
final class Escalation {

    private final Map<Deviation.Rule, TreeSet<YearMonth>> occasions = new EnumMap<>(Deviation.Rule.class);

    /** Records an occurrence of {@code rule} in {@code period} and returns the class it gets. */
    DeviationClass classify(Deviation.Rule rule, YearMonth period, EscalationPolicy policy) {
        TreeSet<YearMonth> periods = occasions.computeIfAbsent(rule, r -> new TreeSet<>());
        int earlier = periods.subSet(period.minusMonths(policy.windowMonths()), true, period, false).size();
        periods.add(period);
        DeviationClass base = rule.defaultClass();
        if (earlier + 1 < policy.occurrences()) {
            return base;
        }
        return base == DeviationClass.OBSERVATION ? DeviationClass.MINOR : DeviationClass.MAJOR;
    }
}
