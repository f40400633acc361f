package io.dmap.aggregator.tally;

import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.ResultsWritten;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunRequested;
import io.dmap.common.events.RunStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RunState} changes phase only as {@link RunPhase#TRANSITIONS} says, one method call at a time, and makes
 * every change of the table in the runs below (a success, a failure that is redriven, a reader failure, a redrive
 * with nothing to run again, outcomes before the totals).
 */
class RunStateTransitionsTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final RunConfig CONFIG = new RunConfig("l", 0, null, null, null);

    private final Set<String> made = new HashSet<>();

    @Test
    void runStateMakesExactlyTheTablesPhaseChanges() {
        RunState a = requested("a");
        RunState failed = finish(step(a, a.planned(2, 2)), ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED);
        assertEquals(RunPhase.WRITING_RESULTS, failed.phase());
        RunState done = step(failed, failed.resultsWritten(ResultsWritten.ok("a", null, null, 0, T)));
        assertEquals(RunStatus.FAILED, done.status());
        Tally one = Tally.ZERO.finished(ExecutionStatus.FAILED, 1, 0);
        RunState redriven = step(done, done.redriven(T, one, one, 1));
        assertEquals(RunPhase.RUNNING, redriven.phase());
        finish(redriven, ExecutionStatus.SUCCEEDED);

        RunState readerFailed = requested("b");
        readerFailed = step(readerFailed, readerFailed.planningFailed(PlanningFailed.of("b", "E", "c", 0, 0, T)));
        RunState nothingToRun = step(readerFailed, readerFailed.settle());
        nothingToRun = step(nothingToRun, nothingToRun.resultsWritten(ResultsWritten.ok("b", null, null, 0, T)));
        RunState again = step(nothingToRun, nothingToRun.redriven(T, Tally.ZERO, Tally.ZERO, 0));
        assertEquals(RunPhase.WRITING_RESULTS, step(again, again.settle()).phase(), "DONE, RUNNING, WRITING_RESULTS");

        RunState early = requested("c").executionStarted(1).executionFinished(ExecutionStatus.SUCCEEDED, 1, true, 1)
                .settle();
        assertEquals(RunPhase.PLANNING, early.phase(), "the totals are not known yet");
        RunState planned = step(early, early.planned(1, 1));
        assertEquals(RunPhase.WRITING_RESULTS, step(planned, planned.settle()).phase());

        assertEquals(RunPhase.TRANSITIONS.stream().map(t -> t.from() + ">" + t.to()).collect(Collectors.toSet()), made);
    }

    private RunState requested(String id) {
        return RunState.empty(id).requested(RunRequested.of(id, "n", T, CONFIG, null));
    }

    /** Each execution started and finished with {@code statuses}, one per batch, then settled. */
    private RunState finish(RunState run, ExecutionStatus... statuses) {
        RunState s = run;
        for (ExecutionStatus status : List.of(statuses)) {
            s = step(s, s.executionStarted(1));
            s = step(s, s.executionFinished(status, 1, true, 1));
            s = step(s, s.settle());
        }
        return s;
    }

    private RunState step(RunState before, RunState after) {
        if (before.phase() != after.phase()) {
            String change = before.phase() + ">" + after.phase();
            assertTrue(RunPhase.TRANSITIONS.stream().anyMatch(t -> t.from() == before.phase() && t.to() == after.phase()),
                    change + " is not in RunPhase.TRANSITIONS");
            made.add(change);
        }
        return after;
    }
}
