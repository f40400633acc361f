package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The parent execution a map run belongs to, when a Distributed Map state of a whole state machine started it: what
 * the run's own fields see as the context object ({@code $$.Execution.Id}, {@code .Name}, {@code .Input},
 * {@code .StartTime}, {@code .RedriveCount}, {@code $$.State.Name}, {@code .EnteredTime}, {@code .RetryCount},
 * {@code $$.StateMachine.Id}, {@code .Name}) and the run's ARN ({@code ...:mapRun:<machine>/<label>:<id>}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParentRef(String executionArn, String executionName, JsonNode executionInput, Instant startTime,
                        int redriveCount, String stateName, Instant enteredTime, int retryCount, String stateMachineArn,
                        String stateMachineName, String mapRunArn) {
}
