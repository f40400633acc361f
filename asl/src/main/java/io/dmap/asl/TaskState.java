package io.dmap.asl;

/** Task: calls {@code resource} with its effective input, bounded by {@code timeoutSeconds} (null: no limit). */
public record TaskState(StateFrame frame, String resource, Value timeoutSeconds, ErrorHandling errors)
        implements State { }
