package io.dmap.planner.planning;

import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;

/** Where a plan goes (Kafka transactions in the service, a list in tests). */
public interface PlanSink {

    /** Publishes one batch to the given partition of the batches topic; may return before it is acknowledged. */
    void batch(BatchMessage batch, int partition);

    /**
     * Before the run's end event: throws {@link PublishException} if a batch handed to {@link #batch} could not be
     * stored. A sink whose end event commits atomically with the batches (the transactional one) need not wait for the
     * acknowledgements here: its commit fails if one is missing.
     */
    void flush();

    /**
     * Makes the batches handed on so far durable together with this checkpoint (the Kafka sink commits its
     * transaction). Does nothing by default.
     */
    default void checkpoint(PlanCheckpoint checkpoint) {
    }

    /** The run is planned; {@code last} is the final checkpoint ({@code done}). */
    void planned(RunPlanned planned);

    void failed(PlanningFailed failed);

    /** True when this planner must stop planning the run at once (it no longer owns it); checked before each item. */
    default boolean stopRequested() {
        return false;
    }

    /** A batch or run event could not be published. */
    class PublishException extends RuntimeException {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Planning of the run stopped without publishing anything more (another planner owns it now, or this one is
     * shutting down): nothing is reported, the owner resumes from the last checkpoint.
     */
    class StoppedException extends RuntimeException {
        public StoppedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
