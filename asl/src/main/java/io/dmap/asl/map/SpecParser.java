package io.dmap.asl.map;

import io.dmap.common.spec.SpecException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StateMachineParser;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec.CsvDelimiter;
import io.dmap.asl.map.MapRunSpec.InputType;
import io.dmap.asl.map.MapRunSpec.ItemBatcherSpec;
import io.dmap.asl.map.MapRunSpec.ItemReaderSpec;
import io.dmap.asl.map.MapRunSpec.ManifestType;
import io.dmap.asl.map.MapRunSpec.ReaderConfig;
import io.dmap.asl.map.MapRunSpec.ReaderResource;
import io.dmap.asl.map.MapRunSpec.ResultWriterSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a Distributed Map state (JSONPath flavour). Every rejection is a {@link SpecException}
 * naming the field path (e.g. {@code ItemReader.ReaderConfig.InputType}) and the reason.
 */
public final class SpecParser {

    /** AWS: no whitespace, none of these characters, no control characters. */
    private static final Pattern NAME_CHARS = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]+");
    private static final int MAX_LABEL = 40;
    private static final int MAX_NAME = 80;
    /** AWS: an ItemsPointer is shorter than 2000 characters. */
    private static final int MAX_ITEMS_POINTER = 1999;

    private SpecParser() {
    }

    public static MapRunSpec parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SpecException("$", "is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        return parse(root);
    }

    public static MapRunSpec parse(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new SpecException("$", "a Map state definition is required");
        }
        if (!root.isObject()) {
            throw new SpecException("$", "must be a JSON object (a Map state)");
        }
        Fields f = new Fields(root, "");
        String type = f.string("Type", false);
        if (type != null && !type.equals("Map")) {
            throw new SpecException("Type", "must be 'Map', was '" + type + "'");
        }
        f.unsupported("MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath", "ItemSelector.$");

        String name = identifier(f, "Name", MAX_NAME);
        String label = identifier(f, "Label", MAX_LABEL);

        ItemReaderSpec reader = itemReader(f.object("ItemReader", false));
        String itemsPath = f.string("ItemsPath", false);
        JsonNode input = f.get("Input");
        if (reader == null) {
            itemsPath = itemsPath == null ? "$" : itemsPath;
            checkItemsPath(itemsPath, input);
        } else if (itemsPath != null) {
            throw new SpecException("ItemsPath", "cannot be used together with ItemReader");
        }

        JsonNode selector = f.get("ItemSelector");
        if (selector == null) {
            selector = f.get("Parameters"); // the older name of ItemSelector
        }
        if (selector != null && !selector.isObject()) {
            throw new SpecException("ItemSelector", "must be an object");
        }

        ItemBatcherSpec batcher = itemBatcher(f.object("ItemBatcher", false));
        Integer maxConcurrency = f.integer("MaxConcurrency", 0, 10_000);
        Integer toleratedCount = f.integer("ToleratedFailureCount", 0, Integer.MAX_VALUE);
        Double toleratedPct = f.number("ToleratedFailurePercentage", 0, 100);

        String processorField = f.has("ItemProcessor") ? "ItemProcessor" : f.has("Iterator") ? "Iterator" : "ItemProcessor";
        Fields processor = f.object(processorField, true);
        String executionType = processorConfig(processor);
        StateMachineParser.validate(root.get(processorField), processorField);

        ResultWriterSpec writer = resultWriter(f.object("ResultWriter", false));
        return new MapRunSpec(name, label, reader, itemsPath, input, selector, batcher,
                maxConcurrency == null ? 0 : maxConcurrency, toleratedCount, toleratedPct,
                root.get(processorField), executionType, writer, root);
    }

    private static String identifier(Fields f, String field, int max) {
        String value = f.string(field, false);
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > max) {
            throw new SpecException(field, "must be 1 to " + max + " characters long, was " + value.length());
        }
        if (!NAME_CHARS.matcher(value).matches()) {
            throw new SpecException(field, "must not contain whitespace or any of < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /");
        }
        return value;
    }

    private static void checkItemsPath(String itemsPath, JsonNode input) {
        try {
            JsonPaths.steps(itemsPath);
        } catch (IllegalArgumentException e) {
            throw new SpecException("ItemsPath", "'" + itemsPath + "' is not a valid path: " + e.getMessage());
        }
        if (input == null) {
            throw new SpecException("Input", "is required when there is no ItemReader (items are read from Input at ItemsPath)");
        }
        JsonNode items = JsonPaths.read(input, itemsPath);
        if (items == null || !items.isArray()) {
            throw new SpecException("ItemsPath", "'" + itemsPath + "' must select a JSON array in Input");
        }
    }

    private static ItemReaderSpec itemReader(Fields r) {
        if (r == null) {
            return null;
        }
        String arn = r.string("Resource", true);
        ReaderResource resource = null;
        for (ReaderResource candidate : ReaderResource.values()) {
            if (candidate.arn.equals(arn)) {
                resource = candidate;
            }
        }
        if (resource == null) {
            throw new SpecException(r.at("Resource"), "'" + arn + "' is not supported; use "
                    + ReaderResource.LIST_OBJECTS_V2.arn + " or " + ReaderResource.GET_OBJECT.arn);
        }
        Fields params = r.object("Parameters", true);
        params.unsupported("Bucket.$", "Key.$", "Prefix.$");
        String bucket = params.string("Bucket", true);
        if (bucket.isBlank()) {
            throw new SpecException(params.at("Bucket"), "must not be empty");
        }
        ReaderConfig config = readerConfig(r.object("ReaderConfig", false));
        if (resource == ReaderResource.LIST_OBJECTS_V2) {
            if (config.loadAndFlatten() && config.inputType() == null) {
                throw new SpecException(r.at("ReaderConfig.InputType"), "is required with Transformation LOAD_AND_FLATTEN");
            }
            if (!config.loadAndFlatten() && config.inputType() != null) {
                throw new SpecException(r.at("ReaderConfig.InputType"),
                        "only applies to listObjectsV2 with Transformation LOAD_AND_FLATTEN");
            }
            if (config.manifestType() != null) {
                String field = r.get("ReaderConfig").has("ManifestType") ? "ManifestType" : "InputType";
                throw new SpecException(r.at("ReaderConfig." + field), "a manifest is read with getObject, not with listObjectsV2");
            }
            return new ItemReaderSpec(resource, bucket, params.string("Prefix", false), null, null, config);
        }
        String key = params.string("Key", true);
        if (config.inputType() == null) {
            throw new SpecException(r.at("ReaderConfig.InputType"),
                    "is required for getObject (CSV, JSON, JSONL, PARQUET or MANIFEST)");
        }
        if (config.loadAndFlatten()) {
            throw new SpecException(r.at("ReaderConfig.Transformation"), "LOAD_AND_FLATTEN only applies to listObjectsV2");
        }
        String versionId = params.string("VersionId", false);
        if (versionId != null && config.inputType() == InputType.PARQUET) {
            // AWS-REFERENCE 1.6: Parquet does not accept VersionId; said at POST rather than failing the run
            throw new SpecException(params.at("VersionId"), "is not accepted with InputType PARQUET");
        }
        return new ItemReaderSpec(resource, bucket, null, key, versionId, config);
    }

    private static ReaderConfig readerConfig(Fields c) {
        if (c == null) {
            return ReaderConfig.DEFAULT;
        }
        InputType inputType = c.choice("InputType", InputType.class, null);
        ManifestType manifestType = c.choice("ManifestType", ManifestType.class, null);
        if (manifestType == ManifestType.S3_INVENTORY) {
            if (inputType != null) {
                throw new SpecException(c.at("InputType"), "must not be set with ManifestType S3_INVENTORY (its data files are CSV)");
            }
            inputType = InputType.MANIFEST;
        } else if (manifestType == ManifestType.ATHENA_DATA && inputType != InputType.CSV
                && inputType != InputType.JSONL && inputType != InputType.PARQUET) {
            throw new SpecException(c.at("InputType"), inputType == null
                    ? "is required with ManifestType ATHENA_DATA (the data files' format: CSV, JSONL or PARQUET)"
                    : "'" + inputType + "' is not one of [CSV, JSONL, PARQUET] (the data files' format with ManifestType ATHENA_DATA)");
        } else if (manifestType == null && inputType == InputType.MANIFEST) {
            manifestType = ManifestType.S3_INVENTORY;
        }
        String location = c.string("CSVHeaderLocation", false);
        boolean given = false;
        List<String> headers = null;
        if (location != null && !location.equals("FIRST_ROW") && !location.equals("GIVEN")) {
            throw new SpecException(c.at("CSVHeaderLocation"), "'" + location + "' is not one of [FIRST_ROW, GIVEN]");
        }
        if ("GIVEN".equals(location)) {
            given = true;
            headers = csvHeaders(c);
        } else if (c.has("CSVHeaders")) {
            throw new SpecException(c.at("CSVHeaders"), "only applies with CSVHeaderLocation GIVEN");
        }
        if ((location != null || c.has("CSVDelimiter")) && inputType != InputType.CSV) {
            throw new SpecException(c.at(location != null ? "CSVHeaderLocation" : "CSVDelimiter"), "only applies to InputType CSV");
        }
        CsvDelimiter delimiter = c.choice("CSVDelimiter", CsvDelimiter.class, CsvDelimiter.COMMA);
        String pointer = c.string("ItemsPointer", false);
        if (pointer != null) {
            if (inputType != InputType.JSON) {
                throw new SpecException(c.at("ItemsPointer"), "only applies to InputType JSON");
            }
            if (pointer.length() > MAX_ITEMS_POINTER) {
                throw new SpecException(c.at("ItemsPointer"), "must be shorter than 2000 characters, was " + pointer.length());
            }
            try {
                JsonPointer.compile(pointer);
            } catch (IllegalArgumentException e) {
                throw new SpecException(c.at("ItemsPointer"), "'" + pointer + "' is not a JSON Pointer (RFC 6901, e.g. /a/b/0): "
                        + e.getMessage());
            }
        }
        Integer maxItems = c.integer("MaxItems", 1, 100_000_000);
        String transformation = c.string("Transformation", false);
        if (transformation != null && !transformation.equals("NONE") && !transformation.equals("LOAD_AND_FLATTEN")) {
            throw new SpecException(c.at("Transformation"), "'" + transformation + "' is not one of [NONE, LOAD_AND_FLATTEN]");
        }
        return new ReaderConfig(inputType, given, headers, delimiter, maxItems == null ? null : maxItems.longValue(),
                "LOAD_AND_FLATTEN".equals(transformation), manifestType, pointer == null || pointer.isEmpty() ? null : pointer);
    }

    private static List<String> csvHeaders(Fields c) {
        JsonNode node = c.get("CSVHeaders");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new SpecException(c.at("CSVHeaders"), "must be a non-empty array of strings with CSVHeaderLocation GIVEN");
        }
        List<String> headers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode h = node.get(i);
            if (!h.isTextual()) {
                throw new SpecException(c.at("CSVHeaders[" + i + "]"), "must be a string");
            }
            if (!seen.add(h.asText())) {
                throw new SpecException(c.at("CSVHeaders[" + i + "]"), "duplicate header '" + h.asText() + "'");
            }
            headers.add(h.asText());
        }
        return List.copyOf(headers);
    }

    private static ItemBatcherSpec itemBatcher(Fields b) {
        if (b == null) {
            return null;
        }
        b.unsupported("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath");
        Integer maxItems = b.integer("MaxItemsPerBatch", 1, 100_000_000);
        Integer maxBytes = b.integer("MaxInputBytesPerBatch", 1, Integer.MAX_VALUE);
        if (maxItems == null && maxBytes == null) {
            throw new SpecException(b.at("MaxItemsPerBatch"), "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch");
        }
        JsonNode batchInput = b.get("BatchInput");
        if (batchInput != null && !batchInput.isObject()) {
            throw new SpecException(b.at("BatchInput"), "must be an object");
        }
        return new ItemBatcherSpec(maxItems, maxBytes, batchInput);
    }

    private static String processorConfig(Fields processor) {
        Fields config = processor.object("ProcessorConfig", true);
        String mode = config.string("Mode", true);
        if (!mode.equals("DISTRIBUTED")) {
            throw new SpecException(config.at("Mode"), "must be DISTRIBUTED for a Distributed Map, was '" + mode + "'");
        }
        String type = config.string("ExecutionType", false);
        if (type != null && !type.equals("STANDARD") && !type.equals("EXPRESS")) {
            throw new SpecException(config.at("ExecutionType"), "'" + type + "' is not one of [STANDARD, EXPRESS]");
        }
        return type == null ? "STANDARD" : type;
    }

    private static ResultWriterSpec resultWriter(Fields w) {
        if (w == null) {
            return null;
        }
        String resource = w.string("Resource", true);
        if (!resource.equals("arn:aws:states:::s3:putObject")) {
            throw new SpecException(w.at("Resource"), "must be arn:aws:states:::s3:putObject, was '" + resource + "'");
        }
        Fields params = w.object("Parameters", true);
        String bucket = params.string("Bucket", true);
        if (bucket.isBlank()) {
            throw new SpecException(params.at("Bucket"), "must not be empty");
        }
        String prefix = params.string("Prefix", false);
        Fields config = w.object("WriterConfig", false);
        String outputType = "JSON";
        String transformation = "NONE";
        if (config != null) {
            outputType = oneOf(config, "OutputType", "JSON", "JSON", "JSONL");
            transformation = oneOf(config, "Transformation", "NONE", "NONE", "COMPACT", "FLATTEN");
        }
        return new ResultWriterSpec(bucket, prefix == null ? "" : prefix, outputType, transformation);
    }

    private static String oneOf(Fields f, String field, String dflt, String... allowed) {
        String value = f.string(field, false);
        if (value == null) {
            return dflt;
        }
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new SpecException(f.at(field), "'" + value + "' is not one of " + String.join(", ", allowed));
    }
}
