package io.dmap.asl;

import io.dmap.common.spec.Problems;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Every state must be reachable from StartAt (AWS's validator rejects a machine with an unreachable state). */
final class Reachability {

    private Reachability() {
    }

    static void check(String startAt, Map<String, State> states, String path, Problems problems) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(startAt);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            State state = states.get(name);
            if (state == null || !seen.add(name)) {
                continue;
            }
            if (state.frame().next() != null) {
                todo.add(state.frame().next());
            }
            if (state instanceof ChoiceState c) {
                c.choices().forEach(b -> todo.add(b.next()));
                if (c.defaultNext() != null) {
                    todo.add(c.defaultNext());
                }
            }
            state.errors().catchers().forEach(c -> todo.add(c.next()));
        }
        for (String name : states.keySet()) {
            if (!seen.contains(name)) {
                problems.add(path + ".States." + name, "is not reachable from StartAt");
            }
        }
    }
}
