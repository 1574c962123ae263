package eu.massbalance.contracts.event;

import eu.massbalance.contracts.Bounds;
import eu.massbalance.contracts.FieldProblem;
import eu.massbalance.contracts.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * Every value of an event against {@link Bounds}: what ledger-service checks last before it
 * appends an event, and what the projection's engine checks first before it books one. Field
 * paths are the event's JSON field names.
 */
public final class EventBounds {

    private EventBounds() {
    }

    public static List<FieldProblem> problems(LedgerEvent event) {
        List<FieldProblem> p = new ArrayList<>();
        Bounds.siteId("siteId", event.siteId(), p);
        if (event instanceof InboundDelivery d) {
            delivery(d.deliveryId(), d.occurredAt(), d.product(), d.quantity(), d.sustainable(), p);
            Bounds.name("recordedBy", d.recordedBy(), p);
            Bounds.optionalIdentifier("supplierId", d.supplierId(), p);
            Bounds.name("transportDocument", d.transportDocument(), p);
            Bounds.measure("density", d.density(), p);
            Bounds.measure("lowerHeatingValue", d.lowerHeatingValue(), p);
        } else if (event instanceof OutboundDelivery d) {
            delivery(d.deliveryId(), d.occurredAt(), d.product(), d.quantity(), d.sustainable(), p);
            Bounds.name("recordedBy", d.recordedBy(), p);
            Bounds.name("customerId", d.customerId(), p);
            Bounds.name("useArea", d.useArea(), p);
            Bounds.measure("density", d.density(), p);
            Bounds.measure("lowerHeatingValue", d.lowerHeatingValue(), p);
            if (d.destinationSiteId() != null) {
                Bounds.siteId("destinationSiteId", d.destinationSiteId(), p);
            }
        } else if (event instanceof TransferInTransit t) {
            Bounds.identifier("transferId", t.transferId(), p);
            Bounds.siteId("sourceSiteId", t.sourceSiteId(), p);
            delivery(t.sourceDeliveryId(), t.dispatchedAt(), t.product(), t.quantity(), t.batches(), p);
            Bounds.name("recordedBy", t.recordedBy(), p);
        } else if (event instanceof TransferReceived r) {
            Bounds.identifier("transferId", r.transferId(), p);
            Bounds.dateTime("occurredAt", r.occurredAt(), p);
            if (r.received() != null) {
                Bounds.amount("received.amount", r.received().amount(), p);
            }
            Bounds.name("transportDocument", r.transportDocument(), p);
            Bounds.name("recordedBy", r.recordedBy(), p);
        } else if (event instanceof ProcessingRun r) {
            delivery(r.runId(), r.occurredAt(), r.inputProduct(), r.inputQuantity(), r.inputs(), p);
            Bounds.name("recordedBy", r.recordedBy(), p);
            Bounds.listSize("outputs", r.outputs(), 100, p);
            for (int i = 0; i < Math.min(r.outputs().size(), 100); i++) {
                ProcessingRun.Output output = r.outputs().get(i);
                if (output != null) {
                    Bounds.optionalIdentifier("outputs[" + i + "].product", output.product(), p);
                    if (output.quantity() != null) {
                        Bounds.amount("outputs[" + i + "].quantity.amount", output.quantity().amount(), p);
                    }
                    Bounds.amount("outputs[" + i + "].factor", output.factor(), p);
                    Bounds.characteristics("outputs[" + i + "].declared", output.declared(), p);
                }
            }
        } else if (event instanceof SiteConfigured s) {
            Bounds.name("name", s.name(), p);
            Bounds.name("operator", s.operator(), p);
            Bounds.name("timeZone", s.timeZone(), p);
            Bounds.yearMonth("firstPeriod", s.firstPeriod(), p);
            Bounds.text("periodReason", s.periodReason(), p);
            Bounds.optionalIdentifier("organisationId", s.organisationId(), p);
            Bounds.name("requestedBy", s.requestedBy(), p);
            Bounds.amount("stockCountTolerancePercent", s.stockCountTolerancePercent(), p);
            Bounds.listSize("products", s.products(), 100, p);
            for (int i = 0; i < Math.min(s.products().size(), 100); i++) {
                SiteConfigured.ProductConfig product = s.products().get(i);
                if (product != null) {
                    Bounds.identifier("products[" + i + "].product", product.product(), p);
                    Bounds.measure("products[" + i + "].density", product.density(), p);
                    Bounds.measure("products[" + i + "].lowerHeatingValue", product.lowerHeatingValue(), p);
                }
            }
            Bounds.listSize("blendGroups", s.blendGroups(), 100, p);
            for (int i = 0; i < Math.min(s.blendGroups().size(), 100); i++) {
                SiteConfigured.BlendGroup group = s.blendGroups().get(i);
                if (group != null) {
                    Bounds.name("blendGroups[" + i + "].name", group.name(), p);
                    identifiers("blendGroups[" + i + "].products", group.products(), 100, p);
                }
            }
        } else if (event instanceof CertificateRegistered c) {
            Bounds.identifier("supplierId", c.supplierId(), p);
            Bounds.identifier("certificateId", c.certificateId(), p);
            Bounds.name("scheme", c.scheme(), p);
            Bounds.date("validFrom", c.validFrom(), p);
            Bounds.date("validTo", c.validTo(), p);
            identifiers("products", c.products(), 100, p);
            Bounds.name("requestedBy", c.requestedBy(), p);
        } else if (event instanceof CertificateRevoked c) {
            Bounds.identifier("supplierId", c.supplierId(), p);
            Bounds.identifier("certificateId", c.certificateId(), p);
            Bounds.date("effectiveFrom", c.effectiveFrom(), p);
            Bounds.text("reason", c.reason(), p);
            Bounds.name("requestedBy", c.requestedBy(), p);
        } else if (event instanceof DeliveryReversed r) {
            Bounds.identifier("deliveryId", r.deliveryId(), p);
            Bounds.text("reason", r.reason(), p);
            Bounds.name("requestedBy", r.requestedBy(), p);
        } else if (event instanceof PeriodCloseRequested c) {
            Bounds.yearMonth("periodId", c.periodId(), p);
            Bounds.name("requestedBy", c.requestedBy(), p);
        } else if (event instanceof StockCounted c) {
            Bounds.identifier("product", c.product(), p);
            if (c.counted() != null) {
                Bounds.amount("counted.amount", c.counted().amount(), p);
            }
            Bounds.dateTime("countedAt", c.countedAt(), p);
            Bounds.name("method", c.method(), p);
            Bounds.text("note", c.note(), p);
            Bounds.name("requestedBy", c.requestedBy(), p);
        } else if (event instanceof OpeningStockDeclared o) {
            Bounds.identifier("product", o.product(), p);
            Bounds.name("requestedBy", o.requestedBy(), p);
            Bounds.listSize("batches", o.batches(), 1000, p);
            for (int i = 0; i < Math.min(o.batches().size(), 1000); i++) {
                BatchLine line = o.batches().get(i);
                if (line != null) {
                    Bounds.optionalIdentifier("batches[" + i + "].batchId", line.batchId(), p);
                    Bounds.amount("batches[" + i + "].amount", line.amount(), p);
                    Bounds.characteristics("batches[" + i + "].characteristics", line.characteristics(), p);
                }
            }
        } else if (event instanceof BatchesMerged m) {
            Bounds.identifier("product", m.product(), p);
            identifiers("sourceBatchIds", m.sourceBatchIds(), Bounds.LIST_SIZE, p);
            Bounds.identifier("targetBatchId", m.targetBatchId(), p);
            Bounds.text("reason", m.reason(), p);
            Bounds.name("requestedBy", m.requestedBy(), p);
        } else if (event instanceof DeviationReclassified d) {
            workflow(d.deviationId(), "reason", d.reason(), d.requestedBy(), p);
        } else if (event instanceof DeviationActionPlanned d) {
            workflow(d.deviationId(), "actionPlan", d.actionPlan(), d.requestedBy(), p);
        } else if (event instanceof DeviationClosed d) {
            workflow(d.deviationId(), "resolution", d.resolution(), d.requestedBy(), p);
        }
        return p;
    }

    private static void delivery(String deliveryId, java.time.OffsetDateTime occurredAt, String product, Quantity quantity,
                                 List<BatchLine> lines, List<FieldProblem> p) {
        Bounds.identifier("deliveryId", deliveryId, p);
        Bounds.dateTime("occurredAt", occurredAt, p);
        Bounds.optionalIdentifier("product", product, p);
        if (quantity != null) {
            Bounds.amount("quantity.amount", quantity.amount(), p);
        }
        Bounds.listSize("sustainable", lines, Bounds.LIST_SIZE, p);
        for (int i = 0; i < Math.min(lines.size(), Bounds.LIST_SIZE); i++) {
            BatchLine line = lines.get(i);
            if (line != null) {
                // every event is checked, few fail: the line's field names are spelled out only for a line that does
                int before = p.size();
                line("", line, p);
                if (p.size() > before) {
                    p.subList(before, p.size()).clear();
                    line("sustainable[" + i + "].", line, p);
                }
            }
        }
    }

    private static void line(String at, BatchLine line, List<FieldProblem> p) {
        boolean named = !at.isEmpty();
        Bounds.optionalIdentifier(named ? at + "batchId" : "batchId", line.batchId(), p);
        Bounds.amount(named ? at + "amount" : "amount", line.amount(), p);
        Bounds.characteristics(named ? at + "characteristics" : "characteristics", line.characteristics(), p);
    }

    private static void workflow(String deviationId, String textField, String text, String requestedBy, List<FieldProblem> p) {
        Bounds.identifier("deviationId", deviationId, p);
        Bounds.text(textField, text, p);
        Bounds.name("requestedBy", requestedBy, p);
    }

    private static void identifiers(String field, List<String> values, int max, List<FieldProblem> p) {
        Bounds.listSize(field, values, max, p);
        if (values != null) {
            for (int i = 0; i < Math.min(values.size(), max); i++) {
                Bounds.optionalIdentifier(field + "[" + i + "]", values.get(i), p);
            }
        }
    }
}
