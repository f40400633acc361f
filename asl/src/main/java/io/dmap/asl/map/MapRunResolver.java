package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.asl.map.MapRunSpec.ItemBatcherSpec;
import io.dmap.asl.map.MapRunSpec.ItemReaderSpec;
import io.dmap.asl.map.MapRunSpec.ResultWriterSpec;
import io.dmap.asl.map.MapRunSpec.RunTimeFields;
import io.dmap.common.json.Json;

/**
 * Evaluates, once at run start, what AWS evaluates when the Map state starts: InputPath, the ItemReader's and
 * ResultWriter's Parameters, the items at ItemsPath, BatchInput, and every {@code ...Path} number, against the Input
 * and the context object. The result is a spec with concrete values only, so the rest of dmap (planning, the
 * RunRequested config, the aggregator) reads it as if the values had been written in the definition.
 *
 * <p>A value AWS would refuse fails the run as AWS fails it, with AWS's error names and messages:
 * {@code States.Runtime} for a path that finds nothing and for a non-number or out-of-range number,
 * {@code States.ItemReaderFailed} "field MaxItems must be positive" for a negative MaxItems. Deterministic: the same
 * spec and context give the same result, so a planner that resumes a run resolves it the same way.
 */
public final class MapRunResolver {

    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";

    private MapRunResolver() {
    }

    public static MapRunSpec resolve(MapRunSpec spec, MapContext context) throws StatesError {
        RunTimeFields rt = spec.runTime();
        if (rt == null || rt.resolved()) {
            return spec;
        }
        RunValues values = new RunValues(context.contextObject(), rt.jsonata());
        JsonNode input = spec.input() == null ? Json.NODES.objectNode() : spec.input();
        if (rt.inputPath() != null) {
            input = values.path("InputPath", rt.inputPath(), input);
        }
        ItemReaderSpec reader = spec.itemReader();
        JsonNode items = null;
        if (reader != null) {
            reader = reader(reader, rt, values, input);
        } else if (rt.jsonata()) {
            items = rt.items() == null ? input : values.template("Items", rt.items(), input);
            if (!items.isArray() && !items.isObject()) {
                throw new StatesError(RunValues.QUERY_EVALUATION_ERROR, "The Items field must evaluate to a JSON array "
                        + "or object, but evaluated to " + Json.toString(items));
            }
        } else {
            items = values.path("ItemsPath", spec.itemsPath() == null ? "$" : spec.itemsPath(), input);
            if (!items.isArray() && !items.isObject()) {
                throw StatesError.runtime("Map state input must be an array or an object, but ItemsPath '"
                        + spec.itemsPath() + "' selects: " + Json.toString(items));
            }
        }
        ItemBatcherSpec batcher = batcher(spec.itemBatcher(), rt, values, input);
        int maxConcurrency = spec.maxConcurrency();
        if (rt.maxConcurrency() != null) {
            long n = values.integer(rt.maxConcurrency(), input);
            if (n < 0) {
                throw values.wrongValue("Expected non-negative integer for MaxConcurrency, got '" + n + "' instead.");
            }
            maxConcurrency = (int) Math.min(n, Integer.MAX_VALUE);
        }
        Integer toleratedCount = spec.toleratedFailureCount();
        if (rt.toleratedFailureCount() != null) {
            long n = values.integer(rt.toleratedFailureCount(), input);
            if (n < 0) {
                throw values.wrongValue("ToleratedFailureCount cannot be negative.");
            }
            toleratedCount = (int) Math.min(n, Integer.MAX_VALUE);
        }
        Double toleratedPct = spec.toleratedFailurePercentage();
        if (rt.toleratedFailurePercentage() != null) {
            double p = values.number(rt.toleratedFailurePercentage(), input);
            if (p < 0 || p > 100) {
                throw values.wrongValue("ToleratedFailurePercentage must be between 0 and 100.");
            }
            toleratedPct = p;
        }
        ResultWriterSpec writer = spec.resultWriter();
        if (writer != null && rt.writerParameters() != null) {
            String at = rt.jsonata() ? "ResultWriter.Arguments" : "ResultWriter.Parameters";
            JsonNode p = values.template(at, rt.writerParameters(), input);
            String prefix = values.string(p, at, "Prefix", false);
            writer = new ResultWriterSpec(values.string(p, at, "Bucket", true),
                    prefix == null ? "" : prefix, writer.outputType(), writer.transformation());
        }
        return new MapRunSpec(spec.name(), spec.label(), reader, spec.itemsPath(), input, spec.itemSelector(), batcher,
                maxConcurrency, toleratedCount, toleratedPct, spec.itemProcessor(), spec.executionType(), writer,
                spec.raw(), RunTimeFields.resolved(rt.jsonata(), items));
    }

    private static ItemReaderSpec reader(ItemReaderSpec reader, RunTimeFields rt, RunValues values, JsonNode input)
            throws StatesError {
        if (rt.readerParameters() != null) {
            String at = rt.jsonata() ? "ItemReader.Arguments" : "ItemReader.Parameters";
            JsonNode p = values.template(at, rt.readerParameters(), input);
            reader = reader.at(values.string(p, at, "Bucket", true), values.string(p, at, "Prefix", false),
                    values.string(p, at, "Key", reader.resource() == MapRunSpec.ReaderResource.GET_OBJECT),
                    values.string(p, at, "VersionId", false));
        }
        if (rt.maxItems() != null) {
            long n = values.integer(rt.maxItems(), input);
            if (n < 0) {
                throw new StatesError(ITEM_READER_FAILED, "field MaxItems must be positive");
            }
            reader = reader.withMaxItems(n == 0 ? null : Math.min(n, SpecParser.MAX_ITEMS_LIMIT));
        }
        return reader;
    }

    private static ItemBatcherSpec batcher(ItemBatcherSpec batcher, RunTimeFields rt, RunValues values, JsonNode input)
            throws StatesError {
        if (batcher == null) {
            return null;
        }
        Integer maxItems = batcher.maxItemsPerBatch();
        if (rt.maxItemsPerBatch() != null) {
            maxItems = positive(values, values.integer(rt.maxItemsPerBatch(), input), "MaxItemsPerBatch");
        }
        Integer maxBytes = batcher.maxInputBytesPerBatch();
        if (rt.maxInputBytesPerBatch() != null) {
            maxBytes = positive(values, values.integer(rt.maxInputBytesPerBatch(), input), "MaxInputBytesPerBatch");
        }
        JsonNode batchInput = rt.batchInput() == null ? null
                : values.template("ItemBatcher.BatchInput", rt.batchInput(), input);
        return new ItemBatcherSpec(maxItems, maxBytes, batchInput);
    }

    private static int positive(RunValues values, long n, String field) throws StatesError {
        if (n < 1) {
            throw values.wrongValue("Expected positive integer for " + field + ", got '" + n + "' instead.");
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }
}
