package io.dmap.worker.execution;

import io.dmap.common.events.ExecutionStatus;

import java.time.Duration;

/** What operators see of each child execution once its outcome is stored: its status, item count and duration. */
@FunctionalInterface
public interface BatchMetrics {

    /** @param duration from start to stop; zero for a batch that was never started */
    void finished(ExecutionStatus status, int itemCount, Duration duration);
}
