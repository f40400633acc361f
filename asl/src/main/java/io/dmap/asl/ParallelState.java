package io.dmap.asl;

import java.util.List;

/** Parallel: every branch on the same effective input, concurrently; the result lists their outputs in order. */
public record ParallelState(StateFrame frame, List<StateMachine> branches, ErrorHandling errors) implements State { }
