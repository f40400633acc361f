package io.dmap.planner.planning;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointPolicyTest {

    @Test
    void theFirstCheckpointComesSoonThenTheIntervalDoublesUpToTheConfiguredOne() {
        CheckpointPolicy policy = new CheckpointPolicy(10_000, Duration.ofSeconds(1));
        assertEquals(100, policy.intervalMillis(0));
        assertEquals(200, policy.intervalMillis(1));
        assertEquals(400, policy.intervalMillis(2));
        assertEquals(800, policy.intervalMillis(3));
        assertEquals(1000, policy.intervalMillis(4));
        assertEquals(1000, policy.intervalMillis(1000));
    }

    @Test
    void anEarlyCheckpointWaitsForEnoughBatchesSoThatASmallRunIsOneTransaction() {
        CheckpointPolicy policy = new CheckpointPolicy(10_000, Duration.ofSeconds(1));
        assertFalse(policy.due(10, 500, 0), "10 batches after 500 ms: a small run goes on to its last transaction");
        assertTrue(policy.due(CheckpointPolicy.EARLY_BATCHES, 100, 0));
        assertFalse(policy.due(CheckpointPolicy.EARLY_BATCHES, 99, 0));
        assertFalse(policy.due(CheckpointPolicy.EARLY_BATCHES, 150, 1), "the second waits 200 ms");
        assertTrue(policy.due(1, 1000, 0), "any batch once the whole interval has passed (a slow source)");
        assertTrue(policy.due(10_000, 0, 7), "the batch bound whatever the time");
        assertFalse(policy.due(0, 5000, 0), "nothing new, nothing to commit");
    }

    @Test
    void anIntervalShorterThanTheFirstStepIsKeptFromTheStart() {
        CheckpointPolicy policy = new CheckpointPolicy(10, Duration.ofMillis(30));
        assertEquals(30, policy.intervalMillis(0));
        assertEquals(30, policy.intervalMillis(5));
    }
}
