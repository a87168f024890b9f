package dev.pipeline.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The environment spec cannot be used; carries every problem found, not just the first, so a user fixes the
 * document in one round. Bad input: never worth retrying.
 */
public final class InvalidSpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidSpecException(List<Problem> problems) {
        super(message(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidSpecException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order of the format's fields; unknown fields of an object come after its known ones. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        String header = "environment spec has " + problems.size() + (problems.size() == 1 ? " problem" : " problems");
        return problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n", header + ":\n", ""));
    }
}
