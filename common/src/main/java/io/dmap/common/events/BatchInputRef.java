package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Claim check: where a batch's input is stored when it is too big for a Kafka message. The object holds the
 * input as JSON (exactly what {@link BatchMessage#input()} would have held). Also used for an execution's output
 * ({@link ExecutionFinished#outputRef()}): then the object holds what {@link ExecutionFinished#output()} would have held.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchInputRef(String bucket, String key) {
}
