package io.dmap.asl;

/** Fail: ends the execution with an error and a cause, each a constant, a path, an intrinsic or an expression. */
public record FailState(StateFrame frame, Value error, Value cause) implements State { }
