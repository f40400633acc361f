package io.dmap.asl.map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StateMachineParser;
import io.dmap.asl.StatesPaths;
import io.dmap.asl.map.MapRunSpec.CsvDelimiter;
import io.dmap.asl.map.MapRunSpec.InputType;
import io.dmap.asl.map.MapRunSpec.ItemBatcherSpec;
import io.dmap.asl.map.MapRunSpec.ItemReaderSpec;
import io.dmap.asl.map.MapRunSpec.ManifestType;
import io.dmap.asl.map.MapRunSpec.ReaderConfig;
import io.dmap.asl.map.MapRunSpec.ReaderResource;
import io.dmap.asl.map.MapRunSpec.ResultWriterSpec;
import io.dmap.asl.map.MapRunSpec.RunTimeFields;
import io.dmap.common.events.OutputType;
import io.dmap.common.events.Transformation;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Problems;
import io.dmap.common.spec.SpecException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads and validates a Distributed Map state in one pass and reports <em>every</em> problem found, each naming its
 * field path (e.g. {@code ItemReader.ReaderConfig.InputType}) and the reason, as one {@link SpecException}. A field
 * dmap does not read is rejected by name. Fields AWS evaluates when the state starts ({@code ...Path} fields,
 * {@code .$} keys of Parameters and BatchInput) are checked for syntax here and kept in {@link RunTimeFields} for
 * {@link MapRunResolver}.
 */
public final class SpecParser {

    /** AWS: no whitespace, none of these characters, no control characters. */
    private static final Pattern NAME_CHARS = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]+");
    private static final int MAX_LABEL = 40;
    private static final int MAX_NAME = 80;
    static final long MAX_ITEMS_LIMIT = 100_000_000;

    static final Set<String> MAP_FIELDS = Set.of("Type", "Comment", "Name", "Label", "Input", "QueryLanguage", "End",
            "InputPath", "ItemReader", "ItemsPath", "Items", "ItemSelector", "Parameters", "ItemBatcher",
            "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailureCount", "ToleratedFailureCountPath",
            "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ItemProcessor", "Iterator", "ResultWriter",
            "Next", "ResultPath", "ResultSelector", "OutputPath", "Retry", "Catch", "Output", "Assign");
    static final Set<String> ITEM_READER_FIELDS = Set.of("Resource", "Parameters", "Arguments", "ReaderConfig");
    static final Set<String> READER_CONFIG_FIELDS = Set.of("InputType", "CSVHeaderLocation", "CSVHeaders",
            "CSVDelimiter", "MaxItems", "MaxItemsPath", "Transformation", "ManifestType", "ItemsPointer");
    static final Set<String> ITEM_BATCHER_FIELDS = Set.of("MaxItemsPerBatch", "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput");
    static final Set<String> RESULT_WRITER_FIELDS = Set.of("Resource", "Parameters", "Arguments", "WriterConfig");
    static final Set<String> WRITER_CONFIG_FIELDS = Set.of("OutputType", "Transformation");
    static final Set<String> PROCESSOR_CONFIG_FIELDS = Set.of("Mode", "ExecutionType");

    /** Fields that shape the Map state's output or flow inside a parent state machine, which dmap does not run. */
    private static final String PARENT_ONLY = "only acts on the Map state's output or flow in a parent state machine; "
            + "dmap runs the Map state on its own (its results are the ResultWriter files and GET /map-runs/{id}), "
            + "so dmap would ignore it: remove it";

    private static final String JSONPATH_ONLY_HERE = "is JSONPath only; with QueryLanguage JSONata give a JSONata "
            + "expression in the field without 'Path' instead";

    /** AWS: an ItemsPointer is shorter than 2000 characters. */
    private static final int MAX_ITEMS_POINTER = 1999;

    private SpecParser() {
    }

    public static MapRunSpec parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // a limit of the reader (e.g. nesting deeper than 1000) has no location: then the message alone
            JsonLocation at = e.getLocation();
            throw new SpecException("$", "is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        return parse(root);
    }

    public static MapRunSpec parse(JsonNode root) {
        return parse(root, false);
    }

    /**
     * Validates a Distributed Map state of a whole state machine: as {@link #parse(JsonNode)}, but its Input is the
     * state's input, known only when the state is entered, so whether ItemsPath finds the items is judged then.
     */
    public static MapRunSpec parseInMachine(JsonNode root) {
        return parse(root, true);
    }

    private static MapRunSpec parse(JsonNode root, boolean inputAtRunTime) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new SpecException("$", "a Map state definition is required");
        }
        if (!root.isObject()) {
            throw new SpecException("$", "must be a JSON object (a Map state)");
        }
        WholeMachine.check(root);
        Problems problems = new Problems();
        Fields f = new Fields(root, "", problems);
        MapRunSpec spec = map(f, root, inputAtRunTime);
        problems.throwIfAny();
        return spec;
    }

    private static MapRunSpec map(Fields f, JsonNode root, boolean inputAtRunTime) {
        String type = f.string("Type", false);
        if (type != null && !type.equals("Map")) {
            f.problem("Type", "must be 'Map', was '" + type + "'");
        }
        f.onlyKnown(MAP_FIELDS, "a Distributed Map state");
        boolean jsonata = QueryLanguage.isJsonata(f);
        List<String> otherLanguage = QueryLanguage.checkFields(f, jsonata);
        f.reject(PARENT_ONLY, List.of("Next", "ResultPath", "ResultSelector", "OutputPath", "Retry", "Catch", "Output",
                "Assign").stream().filter(x -> !otherLanguage.contains(x)).toArray(String[]::new));
        if (f.has("End") && !f.get("End").equals(Json.NODES.booleanNode(true))) {
            f.problem("End", "must be true when given (a map run is not followed by another state)");
        }

        String name = identifier(f, "Name", MAX_NAME);
        String label = identifier(f, "Label", MAX_LABEL);
        JsonNode input = f.get("Input");
        String inputPath = referencePath(f, "InputPath");

        ItemReaderSpec reader = guarded(f, () -> itemReader(f.object("ItemReader", false), jsonata));
        JsonNode readerParameters = reader == null ? null : dynamicParameters(f.object("ItemReader", false), jsonata);
        String itemsPath = null;
        JsonNode items = null;
        if (jsonata) {
            items = f.get("Items") == null ? null : Jsonata.template(f, "Items", f.get("Items"));
            if (reader == null && !f.has("Items") && input == null && !inputAtRunTime) {
                f.problem("Input", "is required when there is no ItemReader (items are Input, or what Items selects)");
            }
        } else {
            itemsPath = referencePath(f, "ItemsPath");
            if (reader == null) {
                itemsPath = itemsPath == null ? "$" : itemsPath;
                if (!inputAtRunTime) {
                    checkItemsInInput(f, itemsPath, inputPath, input);
                }
            }
            // beside an ItemReader, ItemsPath is accepted as AWS accepts it: items come from the reader (docs/)
        }

        JsonNode selector = itemSelector(f, jsonata);
        ItemBatcherSpec batcher = guarded(f, () -> itemBatcher(f.object("ItemBatcher", false), jsonata));
        Integer maxConcurrency = f.exclusive("MaxConcurrency", "MaxConcurrencyPath") ? null
                : Numbers.integer(f, "MaxConcurrency", 0, 10_000, jsonata);
        Integer toleratedCount = f.exclusive("ToleratedFailureCount", "ToleratedFailureCountPath") ? null
                : Numbers.integer(f, "ToleratedFailureCount", 0, Integer.MAX_VALUE, jsonata);
        Double toleratedPct = f.exclusive("ToleratedFailurePercentage", "ToleratedFailurePercentagePath") ? null
                : Numbers.percentage(f, "ToleratedFailurePercentage", jsonata);

        if (f.has("ItemProcessor") && f.has("Iterator")) {
            f.problem("Iterator", "cannot be used together with ItemProcessor (Iterator is its older name)");
        }
        String processorField = f.has("ItemProcessor") || !f.has("Iterator") ? "ItemProcessor" : "Iterator";
        Fields processor = f.object(processorField, true);
        String executionType = processor == null ? "STANDARD" : processorConfig(processor);
        // the node the worker runs: with the Map state's QueryLanguage unless it sets its own (validated as sent)
        JsonNode processorNode = StateMachineParser.inheritLanguage(root.get(processorField),
                jsonata ? io.dmap.asl.QueryLanguage.JSONATA : io.dmap.asl.QueryLanguage.JSONPATH);
        if (processor != null) {
            f.problems().check(() -> StateMachineParser.validate(processorNode, processorField));
        }

        ResultWriterSpec writer = guarded(f, () -> resultWriter(f.object("ResultWriter", false), jsonata));
        JsonNode writerParameters = writer == null ? null : dynamicParameters(f.object("ResultWriter", false), jsonata);

        RunTimeFields runTime = new RunTimeFields(jsonata, false, inputPath, items, readerParameters, writerParameters,
                batcher == null ? null : batcher.batchInput(),
                reader == null ? null : Numbers.deferred(f.object("ItemReader", false) == null ? null
                        : f.object("ItemReader", false).object("ReaderConfig", false), "MaxItems", jsonata),
                Numbers.deferred(f, "MaxConcurrency", jsonata),
                Numbers.deferred(f, "ToleratedFailureCount", jsonata),
                Numbers.deferred(f, "ToleratedFailurePercentage", jsonata),
                batcher == null ? null : Numbers.deferred(f.object("ItemBatcher", false), "MaxItemsPerBatch", jsonata),
                batcher == null ? null : Numbers.deferred(f.object("ItemBatcher", false), "MaxInputBytesPerBatch", jsonata));
        return new MapRunSpec(name, label, reader, itemsPath, input, selector, batcher,
                maxConcurrency == null ? 0 : maxConcurrency, toleratedCount, toleratedPct,
                processorNode, executionType, writer, root, runTime);
    }

    /** Runs a part of the parse that may still throw (a first-problem check), recording its problems. */
    private static <T> T guarded(Fields f, Supplier<T> part) {
        try {
            return part.get();
        } catch (SpecException e) {
            e.problems().forEach(p -> f.problems().add(p.field(), p.reason()));
            return null;
        }
    }

    private static String identifier(Fields f, String field, int max) {
        String value = f.string(field, false);
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > max) {
            f.problem(field, "must be 1 to " + max + " characters long, was " + value.length());
            return null;
        }
        if (!NAME_CHARS.matcher(value).matches()) {
            f.problem(field, "must not contain whitespace or any of < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /");
            return null;
        }
        return value;
    }

    /** A field holding a reference path, or null (recording a problem when it is not one). */
    static String referencePath(Fields f, String field) {
        String path = f.string(field, false);
        if (path == null) {
            return null;
        }
        String reason = StatesPaths.referencePathProblem(path);
        if (reason != null) {
            f.problem(field, reason);
            return null;
        }
        return path;
    }

    /** dmap has the Input at POST, so a path that cannot find the items is a 400 rather than a failed run. */
    private static void checkItemsInInput(Fields f, String itemsPath, String inputPath, JsonNode input) {
        if (input == null) {
            f.problem("Input", "is required when there is no ItemReader (items are read from Input at ItemsPath)");
            return;
        }
        try {
            JsonNode effective = inputPath == null ? input : StatesPaths.select(inputPath, input, Json.NODES.objectNode());
            JsonNode items = effective == null ? null : StatesPaths.select(itemsPath, effective, Json.NODES.objectNode());
            if (items == null || !items.isArray() && !items.isObject()) {
                f.problem("ItemsPath", "'" + itemsPath + "' must select a JSON array or object in Input"
                        + (inputPath == null ? "" : " (after InputPath '" + inputPath + "')"));
            }
        } catch (io.dmap.asl.StatesError e) {
            f.problem("ItemsPath", e.cause());
        }
    }

    private static JsonNode itemSelector(Fields f, boolean jsonata) {
        if (f.has("ItemSelector") && f.has("Parameters")) {
            f.problem("Parameters", "cannot be used together with ItemSelector (Parameters is its older name)");
        }
        String field = f.has("ItemSelector") || jsonata ? "ItemSelector" : "Parameters";
        JsonNode selector = f.get(field);
        if (selector == null) {
            return null;
        }
        if (jsonata) {
            return Jsonata.template(f, field, selector);
        }
        if (!selector.isObject()) {
            f.problem(field, "must be an object");
            return null;
        }
        StatesPaths.checkTemplate(selector, f.at(field)).forEach(p -> f.problems().add(p.field(), p.reason()));
        return selector;
    }

    private static ItemReaderSpec itemReader(Fields r, boolean jsonata) {
        if (r == null) {
            return null;
        }
        r.onlyKnown(ITEM_READER_FIELDS, "ItemReader");
        String arn = r.string("Resource", true);
        ReaderResource resource = null;
        for (ReaderResource candidate : ReaderResource.values()) {
            if (candidate.arn.equals(arn)) {
                resource = candidate;
            }
        }
        if (arn != null && resource == null) {
            r.problem("Resource", "'" + arn + "' is not supported; use "
                    + ReaderResource.LIST_OBJECTS_V2.arn + " or " + ReaderResource.GET_OBJECT.arn);
        }
        ReaderConfig config = readerConfig(r.object("ReaderConfig", false), jsonata);
        Location location = Location.read(r, jsonata, resource == ReaderResource.GET_OBJECT
                ? List.of("Bucket", "Key", "VersionId") : List.of("Bucket", "Prefix"), "Bucket",
                resource == ReaderResource.GET_OBJECT ? "Key" : null);
        if (resource == null) {
            return null;
        }
        if (resource == ReaderResource.LIST_OBJECTS_V2) {
            if (config.loadAndFlatten() && config.inputType() == null) {
                r.problem("ReaderConfig.InputType", "is required with Transformation LOAD_AND_FLATTEN");
            }
            if (!config.loadAndFlatten() && config.inputType() != null) {
                r.problem("ReaderConfig.InputType", "only applies to listObjectsV2 with Transformation LOAD_AND_FLATTEN");
            }
            if (config.manifestType() != null) {
                String field = r.get("ReaderConfig").has("ManifestType") ? "ManifestType" : "InputType";
                r.problem("ReaderConfig." + field, "a manifest is read with getObject, not with listObjectsV2");
            }
            return new ItemReaderSpec(resource, location.value("Bucket"), location.value("Prefix"), null, null, config);
        }
        Fields configFields = r.object("ReaderConfig", false);
        if (config.inputType() == null && (configFields == null
                || !configFields.has("InputType") && !configFields.has("ManifestType"))) {
            r.problem("ReaderConfig.InputType", "is required for getObject (CSV, JSON, JSONL, PARQUET or MANIFEST)");
        }
        if (config.loadAndFlatten()) {
            r.problem("ReaderConfig.Transformation", "LOAD_AND_FLATTEN only applies to listObjectsV2");
        }
        String versionId = location.value("VersionId");
        if (versionId != null && config.inputType() == InputType.PARQUET) {
            // AWS-REFERENCE 1.6: Parquet does not accept VersionId; said at POST rather than failing the run
            r.problem((jsonata ? "Arguments" : "Parameters") + ".VersionId", "is not accepted with InputType PARQUET");
        }
        return new ItemReaderSpec(resource, location.value("Bucket"), null, location.value("Key"), versionId, config);
    }

    /** The Parameters / Arguments template when some of it is evaluated at run start, else null. */
    private static JsonNode dynamicParameters(Fields owner, boolean jsonata) {
        JsonNode params = owner == null ? null : owner.get(jsonata ? "Arguments" : "Parameters");
        return params != null && Location.isDynamic(params, jsonata) ? params : null;
    }

    private static ReaderConfig readerConfig(Fields c, boolean jsonata) {
        if (c == null) {
            return ReaderConfig.DEFAULT;
        }
        c.onlyKnown(READER_CONFIG_FIELDS, "ItemReader.ReaderConfig");
        if (jsonata) {
            c.reject(JSONPATH_ONLY_HERE, "MaxItemsPath");
        }
        InputType inputType = c.choice("InputType", InputType.class, null);
        ManifestType manifestType = c.choice("ManifestType", ManifestType.class, null);
        if (manifestType == ManifestType.S3_INVENTORY) {
            if (inputType != null) {
                c.problem("InputType", "must not be set with ManifestType S3_INVENTORY (its data files are CSV)");
            }
            inputType = InputType.MANIFEST;
        } else if (manifestType == ManifestType.ATHENA_DATA && inputType != InputType.CSV
                && inputType != InputType.JSONL && inputType != InputType.PARQUET) {
            c.problem("InputType", inputType == null
                    ? "is required with ManifestType ATHENA_DATA (the data files' format: CSV, JSONL or PARQUET)"
                    : "'" + inputType + "' is not one of [CSV, JSONL, PARQUET] (the data files' format with ManifestType ATHENA_DATA)");
        } else if (manifestType == null && inputType == InputType.MANIFEST) {
            manifestType = ManifestType.S3_INVENTORY;
        }
        String location = c.string("CSVHeaderLocation", false);
        boolean given = false;
        List<String> headers = null;
        if (location != null && !location.equals("FIRST_ROW") && !location.equals("GIVEN")) {
            c.problem("CSVHeaderLocation", "'" + location + "' is not one of [FIRST_ROW, GIVEN]");
        }
        if ("GIVEN".equals(location)) {
            given = true;
            headers = csvHeaders(c);
        } else if (c.has("CSVHeaders")) {
            c.problem("CSVHeaders", "only applies with CSVHeaderLocation GIVEN");
        }
        if ((location != null || c.has("CSVDelimiter")) && inputType != InputType.CSV) {
            c.problem(location != null ? "CSVHeaderLocation" : "CSVDelimiter", "only applies to InputType CSV");
        }
        CsvDelimiter delimiter = c.choice("CSVDelimiter", CsvDelimiter.class, CsvDelimiter.COMMA);
        Long maxItems = c.exclusive("MaxItems", "MaxItemsPath") ? null : Numbers.maxItems(c, jsonata);
        String pointer = c.string("ItemsPointer", false);
        if (pointer != null) {
            if (inputType != InputType.JSON) {
                c.problem("ItemsPointer", "only applies to InputType JSON");
            }
            if (pointer.length() > MAX_ITEMS_POINTER) {
                c.problem("ItemsPointer", "must be shorter than 2000 characters, was " + pointer.length());
            }
            try {
                JsonPointer.compile(pointer);
            } catch (IllegalArgumentException e) {
                c.problem("ItemsPointer", "'" + pointer + "' is not a JSON Pointer (RFC 6901, e.g. /a/b/0): " + e.getMessage());
            }
        }
        String transformation = c.string("Transformation", false);
        if (transformation != null && !transformation.equals("NONE") && !transformation.equals("LOAD_AND_FLATTEN")) {
            c.problem("Transformation", "'" + transformation + "' is not one of [NONE, LOAD_AND_FLATTEN]");
        }
        return new ReaderConfig(inputType, given, headers, delimiter, maxItems, "LOAD_AND_FLATTEN".equals(transformation),
                manifestType, pointer == null || pointer.isEmpty() ? null : pointer);
    }

    private static List<String> csvHeaders(Fields c) {
        JsonNode node = c.get("CSVHeaders");
        if (node == null || !node.isArray() || node.isEmpty()) {
            c.problem("CSVHeaders", "must be a non-empty array of strings with CSVHeaderLocation GIVEN");
            return null;
        }
        List<String> headers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode h = node.get(i);
            if (!h.isTextual()) {
                c.problem("CSVHeaders[" + i + "]", "must be a string");
            } else if (!seen.add(h.asText())) {
                c.problem("CSVHeaders[" + i + "]", "duplicate header '" + h.asText() + "'");
            } else {
                headers.add(h.asText());
            }
        }
        return List.copyOf(headers);
    }

    private static ItemBatcherSpec itemBatcher(Fields b, boolean jsonata) {
        if (b == null) {
            return null;
        }
        b.onlyKnown(ITEM_BATCHER_FIELDS, "ItemBatcher");
        if (jsonata) {
            b.reject(JSONPATH_ONLY_HERE, "MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath");
        }
        Integer maxItems = b.exclusive("MaxItemsPerBatch", "MaxItemsPerBatchPath") ? null
                : Numbers.integer(b, "MaxItemsPerBatch", 1, 100_000_000, jsonata);
        Integer maxBytes = b.exclusive("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath") ? null
                : Numbers.integer(b, "MaxInputBytesPerBatch", 1, Integer.MAX_VALUE, jsonata);
        boolean anyLimit = Set.of("MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath").stream().anyMatch(b::has);
        if (!anyLimit) {
            b.problem("MaxItemsPerBatch", "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their Path forms)");
        }
        JsonNode batchInput = b.get("BatchInput");
        if (batchInput != null) {
            if (jsonata) {
                batchInput = Jsonata.template(b, "BatchInput", batchInput);
            } else if (!batchInput.isObject()) {
                b.problem("BatchInput", "must be an object");
                batchInput = null;
            } else {
                StatesPaths.checkTemplate(batchInput, b.at("BatchInput")).forEach(p -> b.problems().add(p.field(), p.reason()));
            }
        }
        return new ItemBatcherSpec(maxItems, maxBytes, batchInput);
    }

    private static String processorConfig(Fields processor) {
        Fields config = processor.object("ProcessorConfig", true);
        if (config == null) {
            return "STANDARD";
        }
        config.onlyKnown(PROCESSOR_CONFIG_FIELDS, processor.at("ProcessorConfig"));
        String mode = config.string("Mode", true);
        if (mode != null && !mode.equals("DISTRIBUTED")) {
            config.problem("Mode", "must be DISTRIBUTED for a Distributed Map, was '" + mode + "'");
        }
        String type = config.string("ExecutionType", false);
        if (type != null && !type.equals("STANDARD") && !type.equals("EXPRESS")) {
            config.problem("ExecutionType", "'" + type + "' is not one of [STANDARD, EXPRESS]");
            return "STANDARD";
        }
        return type == null ? "STANDARD" : type;
    }

    private static ResultWriterSpec resultWriter(Fields w, boolean jsonata) {
        if (w == null) {
            return null;
        }
        w.onlyKnown(RESULT_WRITER_FIELDS, "ResultWriter");
        String resource = w.string("Resource", true);
        if (resource != null && !resource.equals("arn:aws:states:::s3:putObject")) {
            w.problem("Resource", "must be arn:aws:states:::s3:putObject, was '" + resource + "'");
        }
        Location location = Location.read(w, jsonata, List.of("Bucket", "Prefix"), "Bucket", null);
        Fields config = w.object("WriterConfig", false);
        OutputType outputType = OutputType.JSON;
        Transformation transformation = Transformation.NONE;
        if (config != null) {
            config.onlyKnown(WRITER_CONFIG_FIELDS, "ResultWriter.WriterConfig");
            outputType = oneOf(config, "OutputType", outputType, OutputType.values());
            transformation = oneOf(config, "Transformation", transformation, Transformation.values());
        }
        String prefix = location.value("Prefix");
        return new ResultWriterSpec(location.value("Bucket"), prefix == null ? "" : prefix, outputType, transformation);
    }

    private static <E extends Enum<E>> E oneOf(Fields f, String field, E dflt, E[] allowed) {
        String value = f.string(field, false);
        if (value == null) {
            return dflt;
        }
        for (E a : allowed) {
            if (a.name().equals(value)) {
                return a;
            }
        }
        f.problem(field, "'" + value + "' is not one of "
                + String.join(", ", Arrays.stream(allowed).map(Enum::name).toList()));
        return dflt;
    }
}
