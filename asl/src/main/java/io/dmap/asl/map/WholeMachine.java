package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.SpecException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A whole state machine posted where one Map state belongs (the most common first mistake): says which part of it
 * to post instead, rather than listing every Map field it lacks.
 */
final class WholeMachine {

    private WholeMachine() {
    }

    static void check(JsonNode root) {
        if (root.has("Type") || !(root.has("StartAt") || root.has("States"))) {
            return;
        }
        List<String> maps = new ArrayList<>();
        distributedMaps(root.get("States"), "States", maps);
        String what = "is a whole state machine (it has " + (root.has("StartAt") ? "StartAt" : "States")
                + "); POST /map-runs takes one Distributed Map state, the object that has \"Type\": \"Map\" and an "
                + "ItemProcessor with ProcessorConfig.Mode DISTRIBUTED";
        if (maps.isEmpty()) {
            throw new SpecException("$", what + ". This machine has no Distributed Map state");
        }
        throw new SpecException("$", what + ": post the value of " + String.join(" or ", maps)
                + " (add \"Input\" for the items or the values its paths read)");
    }

    private static void distributedMaps(JsonNode states, String at, List<String> found) {
        if (states == null || !states.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode state = e.getValue();
            String path = at + "." + e.getKey();
            JsonNode processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
            if ("Map".equals(state.path("Type").asText()) && processor != null) {
                if ("DISTRIBUTED".equals(processor.path("ProcessorConfig").path("Mode").asText())) {
                    found.add(path);
                }
                distributedMaps(processor.get("States"), path + ".ItemProcessor.States", found);
            }
            JsonNode branches = state.get("Branches");
            if (branches != null && branches.isArray()) {
                for (int i = 0; i < branches.size(); i++) {
                    distributedMaps(branches.get(i).get("States"), path + ".Branches[" + i + "].States", found);
                }
            }
        }
    }
}
