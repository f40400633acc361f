package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The bodies of Parallel (every branch on the same input) and inline Map (the item processor once per item), run
 * concurrently by the shared {@link InlineExecutor}, each branch or iteration in a variable scope of its own that
 * reads the enclosing one and vanishes when it ends. Outputs come in branch or item order; the first failure
 * fails the state with that branch's or iteration's error and cancels the rest.
 */
final class NestedRuns {

    /** AWS runs at most 40 iterations of an inline Map at once; MaxConcurrency 0 means that many. */
    static final int INLINE_MAP_MAX_CONCURRENCY = 40;

    private final Execution execution;
    private final InlineExecutor inline;

    NestedRuns(Execution execution, InlineExecutor inline) {
        this.execution = execution;
        this.inline = inline;
    }

    JsonNode parallel(ParallelState state, JsonNode input, Variables variables) throws StatesError, InterruptedException {
        List<StateMachine> branches = state.branches();
        List<JsonNode> outputs = inline.runAll(branches.size(), branches.size(),
                i -> scoped(branches.get(i), input, variables));
        return array(outputs);
    }

    JsonNode map(MapState state, JsonNode effective, Scope entry, Variables variables)
            throws StatesError, InterruptedException {
        QueryLanguage language = state.frame().language();
        JsonNode selected = state.items() == null ? effective : state.items().evaluate(entry.withData(effective));
        if (selected == null || !selected.isContainerNode()) {
            String what = selected == null ? "null" : Json.toString(selected);
            if (language == QueryLanguage.JSONATA) {
                throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The field 'Items' returned an unexpected"
                        + " result type. Expected 'array', but was '" + (selected == null ? "null"
                        : IntegerChecks.type(selected)) + "' for value: " + what);
            }
            // AWS's text from before object iteration (Sep 2025); an object is iterated now
            throw StatesError.runtime("Map state input must be an array but was: " + what);
        }
        List<String> keys = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        if (selected.isArray()) {
            selected.forEach(items::add);
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = selected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                keys.add(e.getKey());
                items.add(e.getValue());
            }
        }
        int concurrency = concurrency(state, entry.withData(effective));
        List<JsonNode> outputs = inline.runAll(items.size(), concurrency, i -> {
            JsonNode item = items.get(i);
            JsonNode input = item;
            if (state.itemSelector() != null) {
                ObjectNode ctx = entry.context().deepCopy();
                ObjectNode itemCtx = ctx.putObject("Map").putObject("Item");
                itemCtx.put("Index", i);
                if (!keys.isEmpty()) {
                    itemCtx.put("Key", keys.get(i));
                }
                itemCtx.set("Value", item);
                itemCtx.put("Source", "STATE_DATA");
                input = state.itemSelector().evaluate(entry.withData(effective).withContext(ctx));
            }
            return scoped(state.processor(), input, variables);
        });
        return array(outputs);
    }

    private int concurrency(MapState state, Scope scope) throws StatesError {
        if (state.maxConcurrency() == null) {
            return INLINE_MAP_MAX_CONCURRENCY;
        }
        long m = state.maxConcurrency().evaluate(scope).longValue();
        return m == 0 ? INLINE_MAP_MAX_CONCURRENCY : (int) Math.min(m, INLINE_MAP_MAX_CONCURRENCY);
    }

    private JsonNode scoped(StateMachine machine, JsonNode input, Variables outer) throws StatesError, InterruptedException {
        Variables scope = outer.child();
        try {
            return execution.run(machine, input, scope);
        } finally {
            scope.close();
        }
    }

    private static ArrayNode array(List<JsonNode> outputs) {
        ArrayNode out = Json.NODES.arrayNode();
        outputs.forEach(out::add);
        return out;
    }
}
