package io.dmap.asl;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Collects the variables a state's JSONPath paths read while it is compiled, so the compiler can reject a read of a
 * variable no state of the scope (or an enclosing one) assigns. Paths are compiled in many places; this spares
 * threading a collector through all of them. Nested machines (branches) collect into their own set.
 */
final class VariableReferences {

    private static final ThreadLocal<Deque<Set<String>>> COLLECTORS = ThreadLocal.withInitial(ArrayDeque::new);

    private VariableReferences() {
    }

    static void read(String name) {
        Set<String> current = COLLECTORS.get().peek();
        if (current != null) {
            current.add(name);
        }
    }

    static <T> T collecting(Set<String> into, Supplier<T> compile) {
        COLLECTORS.get().push(into);
        try {
            return compile.get();
        } finally {
            COLLECTORS.get().pop();
        }
    }
}
