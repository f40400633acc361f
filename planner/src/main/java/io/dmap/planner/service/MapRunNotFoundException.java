package io.dmap.planner.service;

/** No map run with this id is known here. */
public class MapRunNotFoundException extends RuntimeException {

    public MapRunNotFoundException(String mapRunId) {
        super("no map run with id '" + mapRunId + "'");
    }

    /** Something of the run (a result file, its manifest) is not there. */
    public MapRunNotFoundException(String mapRunId, String message) {
        super(message);
    }
}
