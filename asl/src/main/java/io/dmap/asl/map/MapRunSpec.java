package io.dmap.asl.map;

import io.dmap.common.events.OutputType;
import io.dmap.common.events.Transformation;
import io.dmap.common.spec.FailureThreshold;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A Distributed Map state as posted to {@code POST /map-runs}, validated. Field names follow the Amazon
 * States Language; {@link SpecParser} builds it. Optional parts are null when absent.
 *
 * @param itemReader    where items come from; null means the array at {@code itemsPath} in {@code input}
 * @param itemProcessor the child state machine ({@code StartAt}, {@code States}) as posted, validated
 * @param raw           the whole posted JSON
 * @param runTime       the fields AWS evaluates when the Map state starts (paths over the Input, templates,
 *                      JSONata expressions); {@link MapRunResolver} turns them into the concrete values above
 */
public record MapRunSpec(
        String name,
        String label,
        ItemReaderSpec itemReader,
        String itemsPath,
        JsonNode input,
        JsonNode itemSelector,
        ItemBatcherSpec itemBatcher,
        int maxConcurrency,
        Integer toleratedFailureCount,
        Double toleratedFailurePercentage,
        JsonNode itemProcessor,
        String executionType,
        ResultWriterSpec resultWriter,
        JsonNode raw,
        RunTimeFields runTime) {

    public FailureThreshold threshold() {
        return new FailureThreshold(toleratedFailureCount, toleratedFailurePercentage);
    }

    public enum ReaderResource {
        LIST_OBJECTS_V2("arn:aws:states:::s3:listObjectsV2"),
        GET_OBJECT("arn:aws:states:::s3:getObject");

        public final String arn;

        ReaderResource(String arn) {
            this.arn = arn;
        }
    }

    /** MANIFEST is an S3 Inventory manifest (the same as ManifestType S3_INVENTORY). */
    public enum InputType { CSV, JSON, JSONL, PARQUET, MANIFEST }

    /** ReaderConfig.ManifestType: the getObject key names a manifest listing the data objects to read. */
    public enum ManifestType { ATHENA_DATA, S3_INVENTORY }

    public enum CsvDelimiter {
        COMMA(','), PIPE('|'), SEMICOLON(';'), SPACE(' '), TAB('\t');

        public final char character;

        CsvDelimiter(char character) {
            this.character = character;
        }
    }

    /** ItemReader. {@code prefix} for listObjectsV2; {@code key}/{@code versionId} for getObject. */
    public record ItemReaderSpec(ReaderResource resource, String bucket, String prefix, String key, String versionId,
                                 ReaderConfig readerConfig) {

        /** The same reader on another object (its Parameters evaluated at run start). */
        public ItemReaderSpec at(String bucket, String prefix, String key, String versionId) {
            return new ItemReaderSpec(resource, bucket, prefix, key, versionId, readerConfig);
        }

        public ItemReaderSpec withMaxItems(Long maxItems) {
            ReaderConfig c = readerConfig;
            return new ItemReaderSpec(resource, bucket, this.prefix, this.key, this.versionId,
                    new ReaderConfig(c.inputType(), c.headersGiven(), c.csvHeaders(), c.csvDelimiter(), maxItems,
                            c.loadAndFlatten()));
        }
    }

    /**
     * ItemReader.ReaderConfig. {@code inputType} null for a plain listing; {@code csvHeaders} set only with
     * CSVHeaderLocation GIVEN; {@code maxItems} null for no limit; {@code loadAndFlatten} for Transformation
     * LOAD_AND_FLATTEN. {@code manifestType} null unless the object is a manifest: S3_INVENTORY (then
     * {@code inputType} is MANIFEST, whichever of the two spellings was posted) or ATHENA_DATA (then
     * {@code inputType} is the data files' format: CSV, JSONL or PARQUET). {@code itemsPointer} the JSON Pointer
     * into a JSON file, null for the whole file.
     */
    public record ReaderConfig(InputType inputType, boolean headersGiven, List<String> csvHeaders,
                               CsvDelimiter csvDelimiter, Long maxItems, boolean loadAndFlatten,
                               ManifestType manifestType, String itemsPointer) {
        public static final ReaderConfig DEFAULT = new ReaderConfig(null, false, null, CsvDelimiter.COMMA, null, false);

        /** A config that is neither a manifest nor a pointer into a JSON file. */
        public ReaderConfig(InputType inputType, boolean headersGiven, List<String> csvHeaders,
                            CsvDelimiter csvDelimiter, Long maxItems, boolean loadAndFlatten) {
            this(inputType, headersGiven, csvHeaders, csvDelimiter, maxItems, loadAndFlatten,
                    inputType == InputType.MANIFEST ? ManifestType.S3_INVENTORY : null, null);
        }
    }

    /** ItemBatcher: whichever of the two limits is hit first closes a batch; nulls mean no limit of that kind. */
    public record ItemBatcherSpec(Integer maxItemsPerBatch, Integer maxInputBytesPerBatch, JsonNode batchInput) {
    }

    /** ResultWriter: WriterConfig's {@code OutputType} and {@code Transformation}, AWS's defaults when left out. */
    public record ResultWriterSpec(String bucket, String prefix, OutputType outputType, Transformation transformation) {
    }

    /**
     * A numeric field whose value is known only at run start: {@code field} is the field as posted (e.g.
     * {@code MaxConcurrencyPath}, or {@code MaxConcurrency} holding a JSONata expression), {@code text} its path or
     * expression.
     */
    public record Deferred(String field, String text) {
    }

    /**
     * What AWS evaluates when the Map state starts, against its input and the context object. Before
     * {@link MapRunResolver#resolve} the templates are as posted ({@code .$} keys, or JSONata when {@code jsonata});
     * after it {@code resolved} is true, every {@link Deferred} is null, the templates are gone and {@code items}
     * holds the items themselves when they come from the Input.
     *
     * @param inputPath the Map state's InputPath (JSONPath), applied to Input before everything else; null for none
     */
    public record RunTimeFields(boolean jsonata, boolean resolved, String inputPath, JsonNode items,
                                JsonNode readerParameters, JsonNode writerParameters, JsonNode batchInput,
                                Deferred maxItems, Deferred maxConcurrency, Deferred toleratedFailureCount,
                                Deferred toleratedFailurePercentage, Deferred maxItemsPerBatch,
                                Deferred maxInputBytesPerBatch) {

        /** Resolved, items from Input: {@code items}; otherwise null. */
        public static RunTimeFields resolved(boolean jsonata, JsonNode items) {
            return new RunTimeFields(jsonata, true, null, items, null, null, null, null, null, null, null, null, null);
        }
    }
}
