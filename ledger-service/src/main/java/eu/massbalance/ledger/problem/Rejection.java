package eu.massbalance.ledger.problem;

/**
 * A request that is well-formed but cannot be done: an unknown site (NOT_FOUND), a different
 * payload under an accepted delivery id or a locked period grid (CONFLICT), a caller without the
 * role or grant it needs (FORBIDDEN).
 */
public class Rejection extends RuntimeException {

    public enum Kind { NOT_FOUND, CONFLICT, FORBIDDEN }

    private final Kind kind;
    private final String code;

    public Rejection(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
