package io.dmap.worker.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchInputRef;

/** Reads a batch input passed by claim check ({@link io.dmap.common.events.BatchMessage#inputRef()}). */
@FunctionalInterface
public interface BatchInputs {

    JsonNode load(BatchInputRef ref) throws Exception;
}
