package io.dmap.planner.planning;

import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;

/** Where a plan goes (Kafka in the service, a list in tests). */
public interface PlanSink {

    /** Publishes one batch to the given partition of the batches topic; may return before it is acknowledged. */
    void batch(BatchMessage batch, int partition);

    /** Waits until every batch handed to {@link #batch} is acknowledged; throws {@link PublishException} if one was not. */
    void flush();

    void planned(RunPlanned planned);

    void failed(PlanningFailed failed);

    /** A batch or run event could not be published. */
    class PublishException extends RuntimeException {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
