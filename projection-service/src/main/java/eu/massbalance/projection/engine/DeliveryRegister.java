package eu.massbalance.projection.engine;

import eu.massbalance.projection.engine.Effect.Direction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every delivery id on the site's log and what became of it; the open period's bookings in detail. */
final class DeliveryRegister {

    enum State { PENDING, BOOKED, CLOSED, REVERSED, REFUSED }

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

        static Booking outbound(String mixture, BigDecimal nonSustainable, BigDecimal claimed, List<Portion> portions) {
            return new Booking(Direction.OUTBOUND, mixture, nonSustainable, claimed, Map.of(), new ArrayList<>(portions));
        }
    }

    private final Map<String, State> states = new HashMap<>();
    private final Map<String, Booking> booked = new HashMap<>();
    private boolean anyBooked;

    State state(String deliveryId) {
        return states.get(deliveryId);
    }

    boolean knows(String deliveryId) {
        return states.containsKey(deliveryId);
    }

    /** An id is taken once an event with it was booked, queued or reversed; a refused one may be offered again. */
    boolean isTaken(String deliveryId) {
        State state = states.get(deliveryId);
        return state != null && state != State.REFUSED;
    }

    void book(String deliveryId, Booking booking) {
        booked.put(deliveryId, booking);
        states.put(deliveryId, State.BOOKED);
        anyBooked = true;
    }

    Booking booking(String deliveryId) {
        return booked.get(deliveryId);
    }

    void mark(String deliveryId, State state) {
        states.put(deliveryId, state);
        if (state == State.REVERSED) {
            booked.remove(deliveryId);
        }
    }

    boolean anyBooked() {
        return anyBooked;
    }

    /** the period closed; its deliveries can no longer be reversed. */
    void closePeriod() {
        booked.keySet().forEach(id -> states.put(id, State.CLOSED));
        booked.clear();
    }
}
