package eu.massbalance.projection.engine;

import eu.massbalance.contracts.Characteristics;
import eu.massbalance.contracts.Measure;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * batches are never averaged; the one merge allowed is of batches from the same
 * country of origin that differ only in their transport emissions, the highest of which is applied
 * to all of them.
 */
final class MergeRule {

    private static final String TRANSPORT = "transportEmissions";
    private static final String GHG = "ghgEmissions";

    private MergeRule() {
    }

    /** The merged batch's characteristics, or a refusal saying why these batches stay apart. */
    static Characteristics merged(List<Batch> sources) {
        Characteristics first = sources.get(0).characteristics;
        String country = first.text("countryOfOrigin").orElse(null);
        BigDecimal base = null;
        Measure highest = null;
        for (Batch b : sources) {
            Characteristics c = b.characteristics;
            if (!Objects.equals(country, c.text("countryOfOrigin").orElse(null))) {
                throw new Refusal(RefusalCode.MERGE_COUNTRY_DIFFERS, "Batches from different countries of origin stay apart (R-05)");
            }
            Optional<Measure> transport = c.measure(TRANSPORT);
            Optional<Measure> ghg = c.measure(GHG);
            if (transport.isEmpty() || ghg.isEmpty() || !transport.get().unit().equals(ghg.get().unit())) {
                throw new Refusal(RefusalCode.MERGE_TRANSPORT_EMISSIONS_MISSING,
                        "Batch " + b.id + " must state ghgEmissions and transportEmissions in one unit to be merged");
            }
            if (!c.identity().without(GHG, TRANSPORT).equals(first.identity().without(GHG, TRANSPORT))) {
                throw new Refusal(RefusalCode.MERGE_CHARACTERISTICS_DIFFER, "Only the transport emissions may differ between merged batches");
            }
            BigDecimal withoutTransport = ghg.get().amount().subtract(transport.get().amount());
            if (base != null && base.compareTo(withoutTransport) != 0) {
                throw new Refusal(RefusalCode.MERGE_WOULD_AVERAGE,
                        "The batches' emissions differ beyond transport; averaging is forbidden (R-04)");
            }
            base = withoutTransport;
            if (highest == null || transport.get().amount().compareTo(highest.amount()) > 0) {
                highest = transport.get();
            }
        }
        // the merged emissions are those of the source with the highest transport emission, which passed R-19 when received
        return first.with(TRANSPORT, highest).with(GHG, new Measure(base.add(highest.amount()), highest.unit()));
    }
}
