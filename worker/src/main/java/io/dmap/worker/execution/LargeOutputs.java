package io.dmap.worker.execution;

import io.dmap.common.events.BatchInputRef;

/**
 * Where an execution's output goes when its outcome is too big for a Kafka message (claim check): the output is
 * stored as JSON and {@link io.dmap.common.events.ExecutionFinished#outputRef()} points at it.
 */
public interface LargeOutputs {

    /** Whether a place to store large outputs is configured. */
    boolean enabled();

    /** Stores {@code json} (the output) for the given execution; returns where it is. */
    BatchInputRef store(String mapRunId, long batchIndex, int redriveCount, byte[] json) throws Exception;

    /** The object key of an execution's stored output. */
    static String key(String mapRunId, long batchIndex, int redriveCount) {
        return "claim-check/" + mapRunId + "/" + batchIndex + "-" + redriveCount + "-output.json";
    }

    LargeOutputs NONE = new LargeOutputs() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public BatchInputRef store(String mapRunId, long batchIndex, int redriveCount, byte[] json) {
            throw new IllegalStateException("no bucket for large outputs (worker.claim-check.bucket)");
        }
    };
}
