package io.dmap.planner.awsapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * A state machine of the AWS-compatible API as the compacted {@code state-machines} topic holds it (key = its ARN).
 * {@code revisionId} changes with every update of the definition or role; {@code creationDate} never does.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StateMachineRecord(int v, String stateMachineArn, String name, String definition, String roleArn,
                                 String type, Instant creationDate, Instant updateDate, String revisionId) {

    public static final int SCHEMA_VERSION = 1;

    StateMachineRecord updated(String newDefinition, String newRoleArn, Instant at, String newRevisionId) {
        return new StateMachineRecord(SCHEMA_VERSION, stateMachineArn, name, newDefinition, newRoleArn, type,
                creationDate, at, newRevisionId);
    }
}
