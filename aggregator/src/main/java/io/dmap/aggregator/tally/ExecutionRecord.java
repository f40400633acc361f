package io.dmap.aggregator.tally;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionRecordPhase;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;

import java.time.Instant;

/**
 * What the aggregator keeps of one child execution (one batch): {@code status} is the name of
 * {@link ExecutionRecordPhase#STARTED} while it runs, then the terminal {@link ExecutionStatus} name (the one field
 * holds either vocabulary, by name; {@link #phase()} and {@link #executionStatus()} read it typed). Terminal records
 * are never replaced: that is the de-duplication of redelivered batches, until a redrive marks the record
 * {@link ExecutionRecordPhase#REDRIVING}: then only an outcome
 * of that redrive attempt (same or newer {@code redriveCount}) replaces it. {@code inputRef} is set when the input was passed by claim check,
 * {@code outputRef} when the output was (then {@code output} is null).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionRecord(String mapRunId, long batchIndex, String status, int itemCount,
                              JsonNode input, JsonNode output, String error, String cause,
                              Instant startDate, Instant stopDate, int redriveCount, BatchInputRef inputRef,
                              BatchInputRef outputRef) {

    public ExecutionRecord {
        input = absentIfNull(input); // JSON null and a missing value read back alike from the store
        output = absentIfNull(output);
    }

    /** Without an output passed by reference ({@code outputRef} null). */
    public ExecutionRecord(String mapRunId, long batchIndex, String status, int itemCount,
                           JsonNode input, JsonNode output, String error, String cause,
                           Instant startDate, Instant stopDate, int redriveCount, BatchInputRef inputRef) {
        this(mapRunId, batchIndex, status, itemCount, input, output, error, cause, startDate, stopDate, redriveCount,
                inputRef, null);
    }

    private static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    public static ExecutionRecord started(ExecutionStarted e) {
        return new ExecutionRecord(e.mapRunId(), e.batchIndex(), ExecutionRecordPhase.STARTED.name(), e.itemCount(),
                null, null, null, null, e.startDate(), null, 0, null);
    }

    /**
     * The same execution re-published by a redrive with {@code newRedriveCount}: no longer terminal, awaiting that
     * attempt's outcome; keeps what is needed to run it again.
     */
    public ExecutionRecord redriving(int newRedriveCount) {
        return new ExecutionRecord(mapRunId, batchIndex, ExecutionRecordPhase.REDRIVING.name(), itemCount, input, null,
                error, cause, null, null, newRedriveCount, inputRef);
    }

    /** A redriven execution began running again. */
    public ExecutionRecord restarted(ExecutionStarted e) {
        return new ExecutionRecord(mapRunId, batchIndex, ExecutionRecordPhase.STARTED.name(), e.itemCount(), input, null,
                null, null, e.startDate(), null, redriveCount, inputRef);
    }

    public boolean redriving() {
        return phase() == ExecutionRecordPhase.REDRIVING;
    }

    /** Failed, timed out, aborted or never started: what a redrive runs again. */
    public boolean redrivable() {
        ExecutionStatus s = executionStatus();
        return s != null && s != ExecutionStatus.SUCCEEDED;
    }

    /** The terminal record; keeps the start date of the STARTED record when the outcome has none. */
    public static ExecutionRecord finished(ExecutionFinished e, ExecutionRecord startedRecord) {
        Instant start = e.startDate() != null || startedRecord == null ? e.startDate() : startedRecord.startDate();
        return new ExecutionRecord(e.mapRunId(), e.batchIndex(), e.status().name(), e.itemCount(), e.input(), e.output(),
                e.error(), e.cause(), start, e.stopDate(), e.redriveCount(), e.inputRef(), e.outputRef());
    }

    /** STARTED or REDRIVING; null once terminal. */
    @JsonIgnore
    public ExecutionRecordPhase phase() {
        return ExecutionRecordPhase.of(status);
    }

    public boolean terminal() {
        return phase() == null;
    }

    /** How it ended; null while not terminal. */
    public ExecutionStatus executionStatus() {
        return terminal() ? ExecutionStatus.valueOf(status) : null;
    }
}
