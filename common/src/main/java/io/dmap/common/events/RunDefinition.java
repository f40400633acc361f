package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The definition of a run's child executions, on the compacted {@code map-run-definitions} topic, key = map run id:
 * {@code processor} is the ItemProcessor ({@code StartAt}, {@code States}) as posted. The planner writes it once per
 * run, in the transaction of the run's first batches, and then publishes batches without it
 * ({@link BatchMessage#processor()} null); workers read it once and keep it. {@code mapRunArn} (nullable, added later):
 * the run's ARN, which names its child executions ({@link BatchMessage#mapRunArn()}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunDefinition(int v, String mapRunId, JsonNode processor, String mapRunArn) {

    public static final int SCHEMA_VERSION = 1;

    public static RunDefinition of(String mapRunId, JsonNode processor, String mapRunArn) {
        return new RunDefinition(SCHEMA_VERSION, mapRunId, processor, mapRunArn);
    }
}
