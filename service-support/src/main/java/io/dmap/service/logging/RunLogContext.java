package io.dmap.service.logging;

import org.jboss.logging.MDC;

/**
 * The map run a thread works for, in the log context (MDC) rather than in each message: {@code mapRunId},
 * {@code batchIndex} and {@code redriveCount}, printed by the log format's {@code %X} and as fields of JSON logs.
 * Open it around the work, in a try-with-resources; closing it restores what the thread had before, so contexts nest
 * (a batch inside a run) and a pooled thread does not carry a finished run's id into its next task.
 */
public final class RunLogContext implements AutoCloseable {

    public static final String MAP_RUN_ID = "mapRunId";
    public static final String BATCH_INDEX = "batchIndex";
    public static final String REDRIVE_COUNT = "redriveCount";

    private final Object previousRun;
    private final Object previousBatch;
    private final Object previousRedrive;

    private RunLogContext(String mapRunId, Long batchIndex, Integer redriveCount) {
        previousRun = MDC.get(MAP_RUN_ID);
        previousBatch = MDC.get(BATCH_INDEX);
        previousRedrive = MDC.get(REDRIVE_COUNT);
        set(MAP_RUN_ID, mapRunId);
        set(BATCH_INDEX, batchIndex);
        set(REDRIVE_COUNT, redriveCount);
    }

    /** Work for a whole run (planning, writing its results): no batch. */
    public static RunLogContext run(String mapRunId) {
        return new RunLogContext(mapRunId, null, null);
    }

    /** Work for one batch (one child execution) of a run, in the run's {@code redriveCount}-th redrive. */
    public static RunLogContext batch(String mapRunId, long batchIndex, int redriveCount) {
        return new RunLogContext(mapRunId, batchIndex, redriveCount);
    }

    @Override
    public void close() {
        set(MAP_RUN_ID, previousRun);
        set(BATCH_INDEX, previousBatch);
        set(REDRIVE_COUNT, previousRedrive);
    }

    private static void set(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value.toString());
        }
    }
}
