package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Quantity;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Processing at a production site: {@code inputQuantity} of {@code inputProduct} is consumed, its
 * sustainable part drawn like an outbound's ({@code inputs}: claims, naming a batch or not, R-11),
 * and each output is produced. An output's {@code factor} is the most of it one unit of input can
 * give, in the units the quantities are stated in (m3 of HVO per tonne of used cooking oil, kg of
 * nickel sulphate per kg of black mass); its quantity may not exceed input × factor. Each input
 * batch drawn yields its own batch of every output (R-04: never averaged), carrying the input's
 * characteristics with the output's {@code declared} fields laid over them.
 */
public record ProcessingRun(
        String siteId,
        String runId,
        OffsetDateTime occurredAt,
        String inputProduct,
        Quantity inputQuantity,
        List<BatchLine> inputs,
        List<Output> outputs,
        String recordedBy) implements LedgerEvent {

    public ProcessingRun {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /**
     * One product made. {@code declared}: the characteristics that belong to the product made
     * (its fuel category, heating value, GHG emissions or carbon footprint per unit of it, its
     * material and content); never what is per unit of the material (origin, raw material, recycled
     * shares), which carries over.
     */
    public record Output(String product, Quantity quantity, BigDecimal factor, Characteristics declared) {
    }

    public ProcessingRun withRecordedBy(String actor) {
        return new ProcessingRun(siteId, runId, occurredAt, inputProduct, inputQuantity, inputs, outputs, actor);
    }
}
