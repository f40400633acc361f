package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.map.SpecParser;
import io.dmap.common.spec.Problems;
import io.dmap.common.spec.SpecException;

/**
 * Compiles a Distributed Map state at the top level of a whole machine: the parent keeps the fields that shape its
 * own flow and output (the frame, Retry, Catch); the rest is the map run's definition, validated by the Map-state
 * parser exactly as {@code POST /map-runs} validates it, its problems named from the machine's root.
 */
final class DistributedMaps {

    private final Problems problems;

    DistributedMaps(Problems problems) {
        this.problems = problems;
    }

    static boolean isDistributed(JsonNode node) {
        JsonNode processor = node.has("ItemProcessor") ? node.get("ItemProcessor") : node.get("Iterator");
        return processor != null && "DISTRIBUTED".equals(processor.path("ProcessorConfig").path("Mode").asText());
    }

    DistributedMapState state(StateFrame frame, JsonNode node, String path, ErrorHandling errors) {
        ObjectNode run = ((ObjectNode) node).deepCopy();
        for (String f : Fields.DISTRIBUTED_MAP_FLOW) {
            if (!node.has(f)) {
                continue;
            }
            run.remove(f);
            if (frame.language() == QueryLanguage.JSONATA && Fields.JSONPATH_ONLY.contains(f)) {
                problems.add(path + "." + f, "is a JSONPath field and cannot be used in a JSONata state (use Output)");
            } else if (frame.language() == QueryLanguage.JSONPATH && Fields.JSONATA_ONLY.contains(f)) {
                problems.add(path + "." + f, "is a JSONata field and cannot be used in a JSONPath state (set"
                        + " \"QueryLanguage\": \"JSONata\")");
            }
        }
        // Name and Input are POST /map-runs' own fields: in a machine the run's name and input come from the parent
        for (String f : new String[]{"Name", "Input"}) {
            if (node.has(f)) {
                problems.add(path + "." + f, "is not a field of a Map state");
                run.remove(f);
            }
        }
        if (frame.language() == QueryLanguage.JSONATA) {
            run.put("QueryLanguage", "JSONata");
        }
        try {
            SpecParser.parseInMachine(run);
        } catch (SpecException e) {
            for (SpecException.Problem p : e.problems()) {
                String field = p.field();
                problems.add(field == null || field.isEmpty() || field.equals("$") ? path : path + "." + field,
                        p.reason());
            }
        }
        JsonNode label = node.get("Label");
        return new DistributedMapState(frame, run, label != null && label.isTextual() ? label.asText() : null, errors);
    }
}
