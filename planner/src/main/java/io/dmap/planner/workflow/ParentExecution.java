package io.dmap.planner.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.ParentInterpreter.Position;
import io.dmap.common.events.ChildHandoff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A parent execution as it is kept on the compacted {@code executions} topic (key = execution ARN), written by the
 * planner replica that drives it before each effect, so that a replica that takes over resumes exactly there.
 * {@code seq} grows with every write. {@code start} is fixed when the execution starts; {@code result} is how it
 * stands; {@code at} where it is; {@code mapRunIds} every map run it started, oldest first; {@code history} its
 * events (at most {@link History#MAX_EVENTS}). {@code child} (added later; null for an execution started through the
 * API): the execution is a STANDARD child handed off by a worker because it starts nested map runs; its end is the
 * batch's outcome ({@link ChildExecutions}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParentExecution(int v, long seq, Start start, Result result, Where at, List<String> mapRunIds,
                              List<HistoryEvent> history, ChildHandoff child) {

    /** The fields of the first version (an execution started through the API). */
    public ParentExecution(int v, long seq, Start start, Result result, Where at, List<String> mapRunIds,
                           List<HistoryEvent> history) {
        this(v, seq, start, result, at, mapRunIds, history, null);
    }

    public static final int SCHEMA_VERSION = 1;

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String ABORTED = "ABORTED";
    public static final String TIMED_OUT = "TIMED_OUT";

    /** What the execution started from: the machine's definition as it was then, and the input. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Start(String executionArn, String stateMachineArn, String machineName, String name,
                        String definition, String roleArn, JsonNode input, Instant startDate) {
    }

    /** Status and, once it ended, its output or error; redrives. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(String status, Instant stopDate, JsonNode output, String error, String cause,
                         int redriveCount, Instant redriveDate) {

        Result ended(String status, Instant at, JsonNode output, String error, String cause) {
            return new Result(status, at, output, error, cause, redriveCount, redriveDate);
        }

        Result redriven(Instant at) {
            return new Result(RUNNING, null, null, null, null, redriveCount + 1, at);
        }
    }

    /**
     * What the driver does next with {@code position}: ENTER its state (after {@code resumeAt}, when a Wait set it),
     * START_MAP_RUN for a Distributed Map state (after {@code resumeAt}, a retry's interval), or WAIT_MAP_RUN for
     * {@code mapRunId}'s terminal snapshot with a redrive count of at least {@code mapRunRedriveCount}, or LEAVE_WAIT:
     * the Wait state {@code position} names leaves with {@code position.input()} as its output after {@code resumeAt}.
     * {@code lastMapRunId}: the run the state last waited for (a redrive redrives it).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Where(Phase phase, Position position, Instant resumeAt, String mapRunId, int mapRunRedriveCount,
                        String lastMapRunId) {

        static Where entering(Position position, Instant resumeAt) {
            return new Where(Phase.ENTER, position, resumeAt, null, 0, null);
        }
    }

    public enum Phase { ENTER, START_MAP_RUN, WAIT_MAP_RUN, LEAVE_WAIT }

    boolean running() {
        return RUNNING.equals(result.status());
    }

    String arn() {
        return start.executionArn();
    }

    ParentExecution with(Result result, Where at, List<HistoryEvent> history) {
        return new ParentExecution(v, seq + 1, start, result, at, mapRunIds, history, child);
    }

    ParentExecution withMapRun(String mapRunId) {
        List<String> ids = new ArrayList<>(mapRunIds);
        if (!ids.contains(mapRunId)) {
            ids.add(mapRunId);
        }
        return new ParentExecution(v, seq, start, result, at, List.copyOf(ids), history, child);
    }

    /** DescribeExecution's view. */
    ExecutionView view() {
        boolean redrivable = !running() && !SUCCEEDED.equals(result.status());
        return new ExecutionView(start.executionArn(), start.stateMachineArn(), start.name(), result.status(),
                start.startDate(), result.stopDate(), io.dmap.common.json.Json.toString(start.input()),
                SUCCEEDED.equals(result.status()) ? io.dmap.common.json.Json.toString(result.output()) : null,
                result.error(), result.cause(), result.redriveCount(), result.redriveDate(),
                running() ? null : redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE",
                running() || redrivable ? null : "Execution is SUCCEEDED and cannot be redriven", mapRunIds);
    }
}
