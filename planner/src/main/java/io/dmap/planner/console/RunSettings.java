package io.dmap.planner.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.MapRunStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings a run page shows: concurrency and tolerances from the status (they change with UpdateMapRun),
 * reader, batcher and writer from the run's definition when it could be read.
 */
public record RunSettings(List<Setting> list) {

    public record Setting(String name, String value) {
    }

    static RunSettings of(MapRunStatus s, JsonNode definition) {
        List<Setting> list = new ArrayList<>();
        list.add(new Setting("MaxConcurrency", s.maxConcurrency() == 0 ? "0 (no limit)" : Integer.toString(s.maxConcurrency())));
        list.add(new Setting("ToleratedFailureCount", Long.toString(s.toleratedFailureCount())));
        list.add(new Setting("ToleratedFailurePercentage", trim(s.toleratedFailurePercentage()) + " %"));
        if (definition == null) {
            list.add(new Setting("Reader, batcher, writer", "unknown: the run's definition is no longer on map-runs"));
            return new RunSettings(list);
        }
        list.add(new Setting("Reader", reader(definition)));
        JsonNode batcher = definition.path("ItemBatcher");
        list.add(new Setting("Batcher", batcher.isMissingNode() ? "one item per child execution" : compact(batcher)));
        JsonNode writer = definition.path("ResultWriter");
        list.add(new Setting("Writer", writer.isMissingNode() ? "none (no result files)" : resource(writer)));
        return new RunSettings(list);
    }

    private static String reader(JsonNode d) {
        JsonNode reader = d.path("ItemReader");
        if (reader.isMissingNode()) {
            JsonNode input = d.path("Input");
            String path = d.path("ItemsPath").asText("$");
            return "Input" + (input.isArray() ? " (" + input.size() + " items)" : "") + ", ItemsPath " + path;
        }
        return resource(reader);
    }

    /** {@code s3:listObjectsV2 {"Bucket":...}} and the reader's or writer's config. */
    private static String resource(JsonNode node) {
        String resource = node.path("Resource").asText("");
        String name = resource.startsWith("arn:aws:states:::") ? resource.substring("arn:aws:states:::".length()) : resource;
        StringBuilder sb = new StringBuilder(name);
        if (node.has("Parameters")) {
            sb.append(' ').append(compact(node.get("Parameters")));
        }
        for (String config : List.of("ReaderConfig", "WriterConfig")) {
            if (node.has(config)) {
                sb.append(", ").append(config).append(' ').append(compact(node.get(config)));
            }
        }
        return sb.toString();
    }

    private static String compact(JsonNode node) {
        return node.toString();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
