package io.dmap.asl;

/**
 * One compiled state of a state machine. Every state has the same frame ({@link StateFrame}: name, query language,
 * input/output processing, Assign, Next/End); each type adds its own body.
 */
public sealed interface State permits PassState, TaskState, ChoiceState, WaitState, SucceedState, FailState,
        ParallelState, MapState, DistributedMapState {

    StateFrame frame();

    /** Retry and Catch (Task, Parallel and Map have them). */
    default ErrorHandling errors() {
        return ErrorHandling.NONE;
    }

    default String name() {
        return frame().name();
    }
}
