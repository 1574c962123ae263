package eu.massbalance.ledger.problem;

import eu.massbalance.contracts.FieldProblem;
import java.util.List;

/** Input that failed validation, with every problem found (not just the first). */
public class InvalidInput extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidInput(List<FieldProblem> problems) {
        super(problems.size() + " problem(s): " + problems, null, false, false);
        this.problems = List.copyOf(problems);
    }

    public InvalidInput(String field, String code, String message) {
        this(List.of(new FieldProblem(field, code, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
