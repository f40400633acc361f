package io.dmap.planner.planning;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How far planning of a run has got, committed in the same Kafka transaction as the batches it counts (topic
 * {@code map-plan-checkpoints}, key = map run id). Batches {@code 0..nextBatchIndex-1} holding items
 * {@code 0..itemsPublished-1} are published; reading resumes at {@code position} (the reader's own format: the
 * last listed key, a byte offset and line, an object and an offset in it, or {@code {"skip": n}}). {@code done}
 * once RunPlanned or PlanningFailed was published.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanCheckpoint(int v, String mapRunId, long nextBatchIndex, long itemsPublished, JsonNode position,
                             boolean done) {

    public static final int SCHEMA_VERSION = 1;

    public static PlanCheckpoint of(String mapRunId, long nextBatchIndex, long itemsPublished, JsonNode position,
                                    boolean done) {
        return new PlanCheckpoint(SCHEMA_VERSION, mapRunId, nextBatchIndex, itemsPublished, position, done);
    }
}
