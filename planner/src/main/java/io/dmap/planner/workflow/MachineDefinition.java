package io.dmap.planner.workflow;

/** A state machine as an execution starts from it: its ARN, name, definition text and role (kept, not assumed). */
public record MachineDefinition(String stateMachineArn, String name, String definition, String roleArn) {
}
