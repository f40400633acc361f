package io.dmap.common.topics;

/**
 * The topics of dmap, each optionally prefixed by a namespace so that several dmap
 * installations can share one Kafka cluster.
 *
 * <ul>
 *   <li>{@code map-runs}: run lifecycle commands and facts ({@link io.dmap.common.events.RunEvent}),
 *       key = map run id. Same partition count as {@code map-outcomes} (the aggregator reads both
 *       into one task per partition).</li>
 *   <li>{@code map-batches}: one message per child execution ({@link io.dmap.common.events.BatchMessage}),
 *       key = "mapRunId/batchIndex", partition chosen by {@link io.dmap.common.spec.Placement}. Its
 *       partition count is the cluster's parallelism.</li>
 *   <li>{@code map-outcomes}: execution progress ({@link io.dmap.common.events.OutcomeEvent}), key = map run id.</li>
 *   <li>{@code map-run-status}: compacted DescribeMapRun snapshots ({@link io.dmap.common.events.MapRunStatus}),
 *       key = map run id.</li>
 *   <li>{@code map-plan-checkpoints}: the planner's own compacted planning checkpoints (where planning of a run
 *       has got to), key = map run id, written in the planner's transactions; read only by planners.</li>
 *   <li>{@code map-run-definitions}: compacted, one {@link io.dmap.common.events.RunDefinition} per run (its
 *       ItemProcessor), key = map run id, written by the planner in the transaction of the run's first batches, read by
 *       workers, so that a batch need not carry the definition.</li>
 *   <li>{@code state-machines}: compacted, the state machines of the AWS-compatible API (CreateStateMachine), key =
 *       state machine ARN, a tombstone once deleted; written and read by planners.</li>
 *   <li>{@code executions}: compacted, the parent executions of whole state machines (the AWS-compatible API), key =
 *       execution ARN: each execution's record (definition, input, status, where it is, history), written by the
 *       planner replica that drives it; commands for it (stop, redrive) from other replicas under
 *       {@code <arn>#<command>} on the same partition.</li>
 * </ul>
 */
public record Topics(String namespace) {

    public static final String RUNS = "map-runs";
    public static final String BATCHES = "map-batches";
    public static final String OUTCOMES = "map-outcomes";
    public static final String STATUS = "map-run-status";
    public static final String CHECKPOINTS = "map-plan-checkpoints";
    public static final String DEFINITIONS = "map-run-definitions";
    public static final String STATE_MACHINES = "state-machines";
    public static final String EXECUTIONS = "executions";

    public Topics {
        namespace = namespace == null ? "" : namespace.trim();
    }

    public static Topics of(String namespace) {
        return new Topics(namespace);
    }

    public String runs() { return prefixed(RUNS); }
    public String batches() { return prefixed(BATCHES); }
    public String outcomes() { return prefixed(OUTCOMES); }
    public String status() { return prefixed(STATUS); }
    public String checkpoints() { return prefixed(CHECKPOINTS); }
    public String definitions() { return prefixed(DEFINITIONS); }
    public String stateMachines() { return prefixed(STATE_MACHINES); }
    public String executions() { return prefixed(EXECUTIONS); }

    private String prefixed(String base) {
        return namespace.isEmpty() ? base : namespace + "." + base;
    }
}
