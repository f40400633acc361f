package io.dmap.common.spec;

import java.util.List;

/**
 * A definition a user posted is invalid. It carries every problem found ({@link #problems()}, each a field path and a
 * reason, like AWS's ValidateStateMachineDefinition diagnostics); {@link #field()} and {@link #reason()} are the first.
 */
public class SpecException extends RuntimeException {

    /** One problem: {@code field} is the path within the definition (e.g. {@code ItemProcessor.States.A.Next}). */
    public record Problem(String field, String reason) {
        @Override
        public String toString() {
            return field + ": " + reason;
        }
    }

    private final List<Problem> problems;

    public SpecException(String field, String reason) {
        this(List.of(new Problem(field, reason)));
    }

    public SpecException(List<Problem> problems) {
        super(message(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    private static String message(List<Problem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        StringBuilder b = new StringBuilder(problems.size() + " problems: ");
        for (int i = 0; i < problems.size(); i++) {
            b.append(i == 0 ? "" : "; ").append(problems.get(i));
        }
        return b.toString();
    }

    public List<Problem> problems() {
        return problems;
    }

    public String field() {
        return problems.get(0).field();
    }

    public String reason() {
        return problems.get(0).reason();
    }
}
