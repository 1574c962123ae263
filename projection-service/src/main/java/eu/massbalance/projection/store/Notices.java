package eu.massbalance.projection.store;

import eu.massbalance.contracts.output.DeviationNotice;
import eu.massbalance.contracts.output.PeriodResultNotice;
import eu.massbalance.projection.engine.Deviation;
import eu.massbalance.projection.engine.PeriodResult;

/** The engine's results in the contracts' form for the output topics. */
final class Notices {

    private Notices() {
    }

    static DeviationNotice deviation(Deviation d, long seq) {
        return new DeviationNotice(d.deviationId(), d.siteId(), d.periodId(), d.rule().name(), d.deviationClass(), d.upgradedFrom(),
                d.status().name(), d.quantity(), d.unit(), d.deliveries(),
                d.batches().stream().map(a -> new DeviationNotice.Affected(a.deliveryId(), a.batchId(), a.quantity())).toList(),
                d.message(), d.occurredOn(), d.actionPlan(),
                d.resolution(), seq);
    }

    static PeriodResultNotice periodResult(PeriodResult r, long seq) {
        return new PeriodResultNotice(r.siteId(), r.periodId(), seq, r.products().stream()
                .map(p -> new PeriodResultNotice.Product(p.product(), p.unit().symbol(), p.opening(), p.in(), p.out(), p.claimed(),
                        p.uncovered(), p.disqualified(), p.closing(), p.nonSustainableIn(), p.nonSustainableOut(), p.uncoveredDeliveries(),
                        p.batches().stream().map(b -> new PeriodResultNotice.Batch(b.batchId(), b.product(), b.opening(), b.in(),
                                b.out(), b.mergedIn(), b.mergedOut(), b.disqualified(), b.closing(), b.characteristics())).toList()))
                .toList());
    }
}
