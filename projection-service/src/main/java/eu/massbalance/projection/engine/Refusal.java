package eu.massbalance.projection.engine;

/** Thrown inside the engine before any state changed; apply() turns it into {@link Effect.Refused}. */
final class Refusal extends RuntimeException {

    final RefusalCode code;

    Refusal(RefusalCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static <T> T require(T value, RefusalCode code, String message) {
        if (value == null) {
            throw new Refusal(code, message);
        }
        return value;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
