package io.dmap.planner.planning;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void anIntervalShorterThanTheFirstStepIsKeptFromTheStart() {
        CheckpointPolicy policy = new CheckpointPolicy(10, Duration.ofMillis(30));
        assertEquals(30, policy.intervalMillis(0));
        assertEquals(30, policy.intervalMillis(5));
    }
}
