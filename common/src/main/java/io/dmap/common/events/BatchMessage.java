package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One child execution to run, on {@code map-batches}. {@code input} is the child's input exactly as
 * the ItemProcessor receives it: the selected item, or {@code {"BatchInput": .., "Items": [..]}} with an
 * ItemBatcher. {@code itemCount} items, the first at 0-based item index {@code firstItemIndex}.
 * {@code processor} is the ItemProcessor definition ({@code StartAt}, {@code States}) as posted; from schema version 2
 * the planner leaves it out (null) and the worker takes it from the run's {@link RunDefinition} on
 * {@code map-run-definitions} (a redriven batch still carries it). A version-1 batch carries it and still runs.
 * {@code batchIndex} is deterministic (0, 1, 2, ... in source order), so a replayed batch is recognisable.
 *
 * <p>{@code readerError} (nullable): the planner could not read this item (a malformed JSONL line, a CSV row with
 * the wrong number of fields). The batch holds that one item ({@code itemCount} 1, {@code input} =
 * {@code {"line": N, "source": "s3://bucket/key", "raw": "<the line, at most 1 KiB>"}}); it must not be run: it
 * ends FAILED with {@code readerError.error} / {@code readerError.cause}.
 *
 * <p>{@code inputRef} (nullable): claim check. The input was too big for a Kafka message, so {@code input} is null
 * and the input is the JSON object stored at {@code inputRef}.
 *
 * <p>{@code mapRunArn} (nullable, added later): the run's ARN ({@link io.dmap.common.spec.Arns#mapRunOf}), from which
 * the child's {@code $$.Execution.Id} and {@code $$.StateMachine.Id} are named as the result files name them. It
 * travels with the definition: a batch carries it exactly when it carries {@code processor}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchMessage(int v, String mapRunId, long batchIndex, long firstItemIndex, int itemCount,
                           JsonNode input, JsonNode processor, int redriveCount, ItemError readerError,
                           BatchInputRef inputRef, String mapRunArn) {

    public static final int SCHEMA_VERSION = 1;

    public BatchMessage {
        // "processor": null reads back as a JSON null node: absent either way
        processor = processor == null || processor.isNull() || processor.isMissingNode() ? null : processor;
    }
    /** Batches without their definition ({@code processor} null: see {@link RunDefinition}). */
    public static final int SCHEMA_VERSION_DEFINITION_APART = 2;

    /** The fields before {@code mapRunArn}. */
    public BatchMessage(int v, String mapRunId, long batchIndex, long firstItemIndex, int itemCount,
                        JsonNode input, JsonNode processor, int redriveCount, ItemError readerError,
                        BatchInputRef inputRef) {
        this(v, mapRunId, batchIndex, firstItemIndex, itemCount, input, processor, redriveCount, readerError, inputRef,
                null);
    }

    /** The fields of the first version (no reader error, input inline). */
    public BatchMessage(int v, String mapRunId, long batchIndex, long firstItemIndex, int itemCount,
                        JsonNode input, JsonNode processor, int redriveCount) {
        this(v, mapRunId, batchIndex, firstItemIndex, itemCount, input, processor, redriveCount, null, null);
    }

    public static BatchMessage of(String mapRunId, long batchIndex, long firstItemIndex, int itemCount,
                                  JsonNode input, JsonNode processor) {
        return new BatchMessage(SCHEMA_VERSION, mapRunId, batchIndex, firstItemIndex, itemCount, input, processor, 0);
    }

    /** A batch of one item the planner could not read: never run, it ends FAILED with {@code readerError}. */
    public static BatchMessage unreadable(String mapRunId, long batchIndex, long itemIndex, JsonNode input,
                                          JsonNode processor, ItemError readerError) {
        return new BatchMessage(SCHEMA_VERSION, mapRunId, batchIndex, itemIndex, 1, input, processor, 0, readerError, null);
    }

    /** The same batch with its input stored elsewhere (claim check): {@code input} becomes null. */
    public BatchMessage withInputRef(BatchInputRef ref) {
        return new BatchMessage(v, mapRunId, batchIndex, firstItemIndex, itemCount, null, processor, redriveCount,
                readerError, ref, mapRunArn);
    }

    /** The same batch with another inline input (null: none, e.g. while the worker holds it elsewhere). */
    public BatchMessage withInput(JsonNode input) {
        return new BatchMessage(v, mapRunId, batchIndex, firstItemIndex, itemCount, input, processor, redriveCount,
                readerError, inputRef, mapRunArn);
    }

    /** The same batch without its definition, which travels once per run as a {@link RunDefinition}. */
    public BatchMessage withoutProcessor() {
        return new BatchMessage(SCHEMA_VERSION_DEFINITION_APART, mapRunId, batchIndex, firstItemIndex, itemCount, input,
                null, redriveCount, readerError, inputRef);
    }

    /** The batch with the definition of its run filled in (on the worker, from the run's {@link RunDefinition}). */
    public BatchMessage withProcessor(JsonNode definition) {
        return withDefinition(definition, mapRunArn);
    }

    /** The batch with its run's definition and ARN filled in (on the worker, from the run's {@link RunDefinition}). */
    public BatchMessage withDefinition(JsonNode definition, String runArn) {
        return new BatchMessage(v, mapRunId, batchIndex, firstItemIndex, itemCount, input, definition, redriveCount,
                readerError, inputRef, runArn);
    }

    /** The same batch naming its run's ARN (a batch that carries its definition carries this too). */
    public BatchMessage withMapRunArn(String runArn) {
        return withDefinition(processor, runArn);
    }

    /** Record key on map-batches: readable and unique per batch. */
    public String key() {
        return key(mapRunId, batchIndex);
    }

    public static String key(String mapRunId, long batchIndex) {
        return mapRunId + "/" + batchIndex;
    }
}
