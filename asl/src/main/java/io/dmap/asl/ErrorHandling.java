package io.dmap.asl;

import java.util.List;

/** The compiled Retry and Catch of a Task, Parallel or Map state. */
record ErrorHandling(List<Retrier.Rule> retriers, List<Catcher> catchers) {

    static final ErrorHandling NONE = new ErrorHandling(List.of(), List.of());
}
