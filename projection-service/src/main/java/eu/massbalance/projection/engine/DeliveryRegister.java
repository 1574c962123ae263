package eu.massbalance.projection.engine;

import eu.massbalance.projection.engine.Effect.Direction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every delivery id on the site's log and what became of it; the open period's bookings in detail. */
final class DeliveryRegister {

    enum State { PENDING, BOOKED, CLOSED, REVERSED, REFUSED, IN_TRANSIT }

    /** A delivery booked in the open period, as a reversal must undo it. */
    static final class Booking {
        final Direction direction;
        final String mixture;
        final BigDecimal nonSustainable;
        final BigDecimal claimed;
        final Map<String, BigDecimal> received;
        final List<Portion> portions;

        private Booking(Direction direction, String mixture, BigDecimal nonSustainable, BigDecimal claimed,
                        Map<String, BigDecimal> received, List<Portion> portions) {
            this.direction = direction;
            this.mixture = mixture;
            this.nonSustainable = nonSustainable;
            this.claimed = claimed;
            this.received = received;
            this.portions = portions;
        }

        static Booking inbound(String mixture, BigDecimal nonSustainable, Map<String, BigDecimal> received) {
            return new Booking(Direction.INBOUND, mixture, nonSustainable, BigDecimal.ZERO, received, List.of());
        }

        /** {@code portions}: a list of the booking's own, to which covered claims add. */
        static Booking outbound(String mixture, BigDecimal nonSustainable, BigDecimal claimed, List<Portion> portions) {
            return new Booking(Direction.OUTBOUND, mixture, nonSustainable, claimed, Map.of(), portions);
        }
    }

    private static final class Entry {
        State state;
        Booking booking;
    }

    private final Map<String, Entry> entries = new HashMap<>();
    /** The entries booked in the open period, closed together when it closes. */
    private final List<Entry> openPeriod = new ArrayList<>();
    private boolean anyBooked;

    State state(String deliveryId) {
        Entry e = entries.get(deliveryId);
        return e == null ? null : e.state;
    }

    boolean knows(String deliveryId) {
        return entries.containsKey(deliveryId);
    }

    void book(String deliveryId, Booking booking) {
        Entry e = entries.computeIfAbsent(deliveryId, id -> new Entry());
        e.state = State.BOOKED;
        e.booking = booking;
        openPeriod.add(e);
        anyBooked = true;
    }

    Booking booking(String deliveryId) {
        return entries.get(deliveryId).booking;
    }

    void mark(String deliveryId, State state) {
        Entry e = entries.computeIfAbsent(deliveryId, id -> new Entry());
        e.state = state;
        if (state != State.BOOKED) {
            e.booking = null;
        }
    }

    boolean anyBooked() {
        return anyBooked;
    }

    /** the period closed; its deliveries can no longer be reversed. */
    void closePeriod() {
        for (Entry e : openPeriod) {
            if (e.state == State.BOOKED) {
                e.state = State.CLOSED;
                e.booking = null;
            }
        }
        openPeriod.clear();
    }
}
