package io.dmap.planner.service;

/** The request does not apply to the run in its current state (e.g. aborting a finished run). */
public class MapRunConflictException extends RuntimeException {

    public MapRunConflictException(String message) {
        super(message);
    }
}
