package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One GetExecutionHistory event: {@code type} is AWS's (ExecutionStarted, PassStateEntered, MapStateEntered,
 * MapRunStarted, MapRunSucceeded, ...), {@code detailsField} the member its details go in
 * (e.g. {@code mapRunStartedEventDetails}, null when the type has none), {@code details} that member's object.
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsField,
                           JsonNode details) {
}
