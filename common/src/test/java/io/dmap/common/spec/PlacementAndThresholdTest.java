package io.dmap.common.spec;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlacementAndThresholdTest {

    @Test
    void aRunUsesMinOfMaxConcurrencyAndPartitions() {
        assertEquals(3, partitionsUsed("run-a", 3, 12));
        assertEquals(12, partitionsUsed("run-a", 0, 12));
        assertEquals(12, partitionsUsed("run-a", 50, 12));
        assertEquals(1, partitionsUsed("run-b", 1, 12));
    }

    @Test
    void consecutiveBatchesGoRoundRobinFromTheRunsFirstPartition() {
        int first = Placement.firstPartition("run-c", 8);
        for (int i = 0; i < 20; i++) {
            assertEquals((first + i % 3) % 8, Placement.partitionFor("run-c", i, 3, 8));
        }
    }

    private static int partitionsUsed(String id, int maxConcurrency, int partitions) {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int p = Placement.partitionFor(id, i, maxConcurrency, partitions);
            assertTrue(p >= 0 && p < partitions);
            used.add(p);
        }
        return used.size();
    }

    @Test
    void noToleranceSetMeansAnyFailureFails() {
        FailureThreshold none = new FailureThreshold(null, null);
        assertFalse(none.exceeded(0, null));
        assertTrue(none.exceeded(1, 1000L));
    }

    @Test
    void countBoundaryEqualPassesOneMoreFails() {
        FailureThreshold t = new FailureThreshold(5, null);
        assertFalse(t.exceeded(5, null));
        assertTrue(t.exceeded(6, null));
    }

    @Test
    void percentageIsJudgedOnceTheTotalIsKnown() {
        FailureThreshold t = new FailureThreshold(null, 10.0);
        assertFalse(t.exceeded(50, null));
        assertFalse(t.exceeded(10, 100L));
        assertTrue(t.exceeded(11, 100L));
    }

    @Test
    void eitherThresholdFailsTheRun() {
        FailureThreshold t = new FailureThreshold(3, 50.0);
        assertTrue(t.exceeded(4, 100L));
        assertTrue(t.exceeded(3, 5L));
        assertFalse(t.exceeded(3, 100L));
    }
}
