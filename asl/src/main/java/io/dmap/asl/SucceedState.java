package io.dmap.asl;

/** Succeed: ends the (sub-)machine with its filtered input. */
public record SucceedState(StateFrame frame) implements State { }
