package io.dmap.planner.workflow;

import java.util.List;
import java.util.Optional;

/**
 * Whole state machines and their executions, as the AWS-compatible API ({@code io.dmap.planner.awsapi}) sees them.
 * The seam between the wire protocol (which translates AWS's JSON 1.0 requests and keeps the state machine
 * registry) and the parent engine (which runs an execution's top-level states and waits for each Distributed Map
 * state's map run without holding a thread). Every method is safe to call from any planner replica.
 * Errors are {@link WorkflowException}s carrying AWS's error name.
 */
public interface Workflows {

    /**
     * Compiles a whole state machine definition ({@code StartAt}, {@code States}, Distributed Map states at the
     * top level included); throws {@link io.dmap.common.spec.SpecException} listing every problem with its path.
     */
    void validate(String definition);

    /**
     * Starts an execution of {@code machine} (the definition as it is now: later updates do not change it).
     * Idempotent by name: the same name with the same input answers the existing execution; the same name with
     * another input, while the first is RUNNING, throws {@code ExecutionAlreadyExists}. A null name gets a UUID.
     */
    ExecutionView start(MachineDefinition machine, String name, String input);

    Optional<ExecutionView> describe(String executionArn);

    /** The machine's executions, newest first; {@code status} null for all. */
    List<ExecutionView> list(String stateMachineArn, String status);

    /** Aborts a RUNNING execution and its running map runs; {@code ExecutionDoesNotExist} when unknown. */
    ExecutionView stop(String executionArn, String error, String cause);

    /**
     * Redrives a FAILED, TIMED_OUT or ABORTED execution from the state that failed; a failed map run of that state
     * is redriven (only its failed and never-started items); {@code ExecutionNotRedrivable} otherwise.
     */
    ExecutionView redrive(String executionArn);

    /** The execution's history in order (ids from 1), MapRun events included. */
    List<HistoryEvent> history(String executionArn);
}
