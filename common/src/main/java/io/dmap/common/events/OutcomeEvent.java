package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a worker reports about one child execution, on {@code map-outcomes}, keyed by map run id.
 * A batch may be reported more than once (redelivery after a crash); the aggregator counts
 * each (mapRunId, batchIndex) once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ExecutionStarted.class, name = "ExecutionStarted"),
        @JsonSubTypes.Type(value = ExecutionFinished.class, name = "ExecutionFinished"),
})
public sealed interface OutcomeEvent extends MapRunEvent permits ExecutionStarted, ExecutionFinished {

    int SCHEMA_VERSION = 1;

    int v();

    String mapRunId();

    long batchIndex();

    int itemCount();
}
