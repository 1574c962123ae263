package eu.massbalance.contracts.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.massbalance.contracts.erp.ErpDelivery;
import org.junit.jupiter.api.Test;

/** A record or body is one JSON value and nothing more: what follows it would be kept, but never read. */
class WholeTextTest {

    static final String DELIVERY = """
            {"deliveryId": "D-1", "direction": "OUTBOUND", "occurredAt": "2025-03-05T07:40:00+01:00", "product": "HVO",
             "quantity": {"amount": "30", "unit": "m3"}}""";

    @Test
    void one_value_is_read() {
        assertEquals("D-1", LedgerJson.read(DELIVERY, ErpDelivery.class).deliveryId());
        assertEquals("D-1", LedgerJson.read(DELIVERY + " \n", ErpDelivery.class).deliveryId());
    }

    @Test
    void anything_after_the_value_makes_it_unreadable() {
        assertThrows(RuntimeException.class, () -> LedgerJson.read(DELIVERY + " trailing", ErpDelivery.class));
        assertThrows(RuntimeException.class, () -> LedgerJson.read(DELIVERY + DELIVERY, ErpDelivery.class));
        assertThrows(Exception.class, () -> LedgerJson.mapper().readTree(DELIVERY + "]"));
    }
}
