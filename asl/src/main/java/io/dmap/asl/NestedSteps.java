package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

/**
 * The work of Parallel (every branch on the same input, outputs in branch order) and inline Map (the ItemProcessor
 * once per item of ItemsPath, outputs in item order). Branches and items run one after another: a child execution
 * already holds one lane, and dmap's parallelism comes from lanes.
 */
final class NestedSteps {

    /** Runs a sub-machine (a branch or an item processor) to its end. */
    @FunctionalInterface
    interface MachineRunner {
        JsonNode run(JsonNode machine, JsonNode input) throws StatesError, InterruptedException;
    }

    private final MachineRunner runner;

    NestedSteps(MachineRunner runner) {
        this.runner = runner;
    }

    GuardedStep.Work parallel(JsonNode state) {
        return (effective, ctx) -> {
            JsonNode input = state.has("Parameters") ? PayloadTemplate.evaluate(state.get("Parameters"), effective, ctx) : effective;
            ArrayNode outputs = Json.NODES.arrayNode();
            for (JsonNode branch : state.get("Branches")) {
                outputs.add(runner.run(branch, input));
            }
            return outputs;
        };
    }

    GuardedStep.Work map(JsonNode state) {
        return (effective, ctx) -> {
            JsonNode items = state.has("ItemsPath") ? DataPaths.select(state.get("ItemsPath").asText(), effective, ctx) : effective;
            if (items == null || !items.isArray()) {
                throw StatesError.runtime("The Map state's ItemsPath '" + state.path("ItemsPath").asText("$")
                        + "' must select an array, found " + (items == null ? "nothing" : Json.toString(items)));
            }
            JsonNode processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
            JsonNode selector = state.has("ItemSelector") ? state.get("ItemSelector") : state.get("Parameters");
            ArrayNode outputs = Json.NODES.arrayNode();
            for (int i = 0; i < items.size(); i++) {
                JsonNode input = items.get(i);
                if (selector != null) {
                    ObjectNode itemCtx = ((ObjectNode) ctx).deepCopy();
                    ObjectNode item = itemCtx.putObject("Map").putObject("Item");
                    item.put("Index", i);
                    item.set("Value", items.get(i));
                    input = PayloadTemplate.evaluate(selector, effective, itemCtx);
                }
                outputs.add(runner.run(processor, input));
            }
            return outputs;
        };
    }
}
