package eu.massbalance.contracts;

/** One thing wrong with one field of an input, with a stable machine-readable code. */
public record FieldProblem(String field, String code, String message) {

    public FieldProblem prefixed(String prefix) {
        return new FieldProblem(prefix + "." + field, code, message);
    }
}
