package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import java.math.BigDecimal;

/** A quantity drawn from one batch; it carries exactly that batch's characteristics. */
public record Portion(String batchId, String product, BigDecimal amount, Characteristics characteristics) {
}
