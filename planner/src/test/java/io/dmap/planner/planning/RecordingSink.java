package io.dmap.planner.planning;

import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;

import java.util.ArrayList;
import java.util.List;

/** A PlanSink that keeps what it is given, for tests of the planning logic. */
class RecordingSink implements PlanSink {

    record Placed(BatchMessage batch, int partition) {
    }

    final List<Placed> batches = new ArrayList<>();
    final List<Object> runEvents = new ArrayList<>();
    final List<PlanCheckpoint> checkpoints = new ArrayList<>();
    int flushes;
    /** After this many checkpoints the sink asks the planner to stop (a planner losing its run). */
    int stopAfterCheckpoints = Integer.MAX_VALUE;

    @Override
    public void checkpoint(PlanCheckpoint checkpoint) {
        checkpoints.add(checkpoint);
    }

    @Override
    public boolean stopRequested() {
        return checkpoints.size() >= stopAfterCheckpoints;
    }

    @Override
    public void batch(BatchMessage batch, int partition) {
        batches.add(new Placed(batch, partition));
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void planned(RunPlanned planned) {
        runEvents.add(planned);
    }

    @Override
    public void failed(PlanningFailed failed) {
        runEvents.add(failed);
    }
}
