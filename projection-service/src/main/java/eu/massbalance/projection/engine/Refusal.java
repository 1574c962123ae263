package eu.massbalance.projection.engine;

/** Thrown inside the engine before any state changed; apply() turns it into {@link Effect.Refused}. */
final class Refusal extends RuntimeException {

    final String code;

    Refusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
