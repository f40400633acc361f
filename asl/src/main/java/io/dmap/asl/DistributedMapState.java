package io.dmap.asl;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Distributed Map state at the top level of a whole state machine: dmap runs it as a map run. {@code runDefinition}
 * is the state as {@code POST /map-runs} takes it (the fields that shape the parent's flow and output removed, the
 * query language made explicit), validated by the Map-state parser when the machine is compiled; the frame keeps
 * ResultSelector, ResultPath, OutputPath (or Output), Assign and Next/End, and {@code errors} Retry and Catch, which
 * the parent applies to the run's outcome.
 */
public record DistributedMapState(StateFrame frame, ObjectNode runDefinition, String label, ErrorHandling errors)
        implements State {
}
