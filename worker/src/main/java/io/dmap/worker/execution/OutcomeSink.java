package io.dmap.worker.execution;

import io.dmap.common.events.OutcomeEvent;

/** Where outcomes go. {@link #publish} returns only once the event is durably stored (acks=all). */
public interface OutcomeSink {

    void publish(OutcomeEvent event) throws InterruptedException;
}
