package io.dmap.common.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of one validation pass, so a 400 lists every problem rather than the first. A check that
 * throws {@link SpecException} inside {@link #check} is recorded and validation goes on with the next check.
 */
public final class Problems {

    /** A validation step that may throw {@link SpecException}. */
    @FunctionalInterface
    public interface Check {
        void run();
    }

    private final List<SpecException.Problem> found = new ArrayList<>();

    public void add(String field, String reason) {
        found.add(new SpecException.Problem(field, reason));
    }

    /** Runs {@code check}, recording its problems instead of stopping at them. */
    public void check(Check check) {
        try {
            check.run();
        } catch (SpecException e) {
            found.addAll(e.problems());
        }
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<SpecException.Problem> list() {
        return List.copyOf(found);
    }

    /** Throws one SpecException naming every problem found, if any. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new SpecException(found);
        }
    }
}
