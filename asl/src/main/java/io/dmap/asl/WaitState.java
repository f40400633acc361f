package io.dmap.asl;

/** Wait: {@code seconds} or {@code timestamp} (exactly one non-null), each a constant, a path or an expression. */
public record WaitState(StateFrame frame, Value seconds, Value timestamp, String field) implements State { }
