package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Unit;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Per mixture, the open period's figures that are not per batch: claims and non-sustainable quantities. */
final class MixtureAccounts {

    static final class Account {
        final Unit unit;
        BigDecimal claimed = BigDecimal.ZERO;
        BigDecimal nonSustainableIn = BigDecimal.ZERO;
        BigDecimal nonSustainableOut = BigDecimal.ZERO;

        Account(Unit unit) {
            this.unit = unit;
        }
    }

    private final Map<String, Account> byMixture = new TreeMap<>();

    Account of(String mixture, Unit unit) {
        return byMixture.computeIfAbsent(mixture, m -> new Account(unit));
    }

    Account get(String mixture) {
        return byMixture.get(mixture);
    }

    Set<String> mixtures() {
        return byMixture.keySet();
    }

    /** A new period starts with every account at zero. */
    void reset() {
        byMixture.replaceAll((mixture, account) -> new Account(account.unit));
    }
}
