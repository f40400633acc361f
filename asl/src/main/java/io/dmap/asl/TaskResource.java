package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a Task state calls. Throws {@link StatesError} for errors with a States Language name; any other
 * exception becomes {@code States.TaskFailed} with the exception's message as cause.
 */
@FunctionalInterface
public interface TaskResource {

    JsonNode invoke(String resource, JsonNode parameters) throws Exception;
}
