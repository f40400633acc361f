package io.dmap.worker.execution;

import io.dmap.common.events.OutcomeEvent;

import java.util.concurrent.CompletableFuture;

/**
 * Where outcomes go. {@link #send} hands the event over without waiting for the broker: the returned future completes
 * once the event is durably stored (acks=all), or exceptionally when it cannot be (then the batch must run again).
 * Events sent one after another from one thread keep their order.
 */
public interface OutcomeSink {

    /** @throws InterruptedException while preparing the event (e.g. storing a large output by reference) */
    CompletableFuture<Void> send(OutcomeEvent event) throws InterruptedException;
}
