package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.DistributedMapState;
import io.dmap.asl.ExecutionContext;
import io.dmap.asl.ParentInterpreter;
import io.dmap.asl.ParentInterpreter.Position;
import io.dmap.asl.ParentInterpreter.Step;
import io.dmap.asl.State;
import io.dmap.asl.StateMachine;
import io.dmap.asl.StatesError;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.ParentRef;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.executions.AggregatorClient.AggregatorUnavailableException;
import io.dmap.planner.service.InvalidParameterException;
import io.dmap.planner.service.LimitExceededException;
import io.dmap.planner.service.MapRunCommands;
import io.dmap.planner.service.MapRunConflictException;
import io.dmap.planner.service.MapRunNotFoundException;
import io.dmap.planner.service.MapRunService;
import io.dmap.planner.service.RunIds;
import io.dmap.planner.workflow.ParentExecution.Phase;
import io.dmap.planner.workflow.ParentExecution.Result;
import io.dmap.planner.workflow.ParentExecution.Where;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One turn of a parent execution: enter its state, start its Distributed Map's run, or take the run's outcome, and
 * write the record before anything it causes, so a driver that dies anywhere is resumed by the next one at the same
 * point (starting a map run twice is harmless: its Name, and so its id, is derived from the execution, the state,
 * the retry and the redrive). Stop and redrive are applied here too. Plain Java; the engine calls it under the
 * execution's lock.
 */
final class ParentDriver {

    private static final Logger LOG = Logger.getLogger(ParentDriver.class);
    /** AWS: a state's input or output may not pass 256 KiB. */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /**
     * The largest execution record written: one Kafka message, under the producer's and broker's default limit of
     * 1 MiB (max.request.size, message.max.bytes), with room for the failure event that ends an execution past it.
     */
    static final int MAX_RECORD_BYTES = 1_000_000;

    /** What the engine does after a turn: go on at once, wait for a map run's snapshot or nothing, or wait a while. */
    sealed interface Turn permits Again, Idle, Later { }

    record Again() implements Turn { }

    record Idle() implements Turn { }

    record Later(Duration delay) implements Turn { }

    private static final Duration BACKLOG_RETRY = Duration.ofSeconds(5);
    private static final Turn AGAIN = new Again();
    private static final Turn IDLE = new Idle();

    private final ParentInterpreter interpreter;
    private final MapRunService runs;
    private final MapRunCommands runCommands;
    private final MapRunOutputs outputs;
    private final Function<ParentExecution, StateMachine> machines;
    private final Consumer<ParentExecution> save;
    private final Clock clock;
    /** The map runs refused for the open-run limit, so each is logged once while it waits. */
    private final Set<String> backlogged = ConcurrentHashMap.newKeySet();

    ParentDriver(ParentInterpreter interpreter, MapRunService runs, MapRunCommands runCommands, MapRunOutputs outputs,
                 Function<ParentExecution, StateMachine> machines, Consumer<ParentExecution> save, Clock clock) {
        this.interpreter = interpreter;
        this.runs = runs;
        this.runCommands = runCommands;
        this.outputs = outputs;
        this.machines = machines;
        this.save = save;
        this.clock = clock;
    }

    Turn turn(ParentExecution e) throws InterruptedException {
        Where at = e.at();
        Instant now = clock.instant();
        Instant deadline = deadline(e, machines.apply(e));
        if (deadline != null && !now.isBefore(deadline)) {
            timeOut(e, now);
            return IDLE;
        }
        if (at.resumeAt() != null && now.isBefore(at.resumeAt())) {
            return new Later(Duration.between(now, at.resumeAt()));
        }
        return switch (at.phase()) {
            case ENTER -> enter(e, now);
            case START_MAP_RUN -> startMapRun(e, now);
            case WAIT_MAP_RUN -> mapRunOutcome(e, now);
            case LEAVE_WAIT -> leaveWait(e, now);
        };
    }

    /** A Wait state has waited: it is left now (WaitStateExited), to its Next state or to the execution's end. */
    private Turn leaveWait(ParentExecution e, Instant now) {
        Position waited = e.at().position();
        State state = machines.apply(e).state(waited.state());
        Step step = state.frame().next() == null ? new ParentInterpreter.Succeeded(waited.input())
                : new ParentInterpreter.Next(state.frame().next(), waited.input(), waited.variables(), null);
        return apply(e, state, step, new History(e.history(), now), now, e.at().lastMapRunId());
    }

    private Turn enter(ParentExecution e, Instant now) throws InterruptedException {
        StateMachine machine = machines.apply(e);
        Position position = e.at().position();
        State state = machine.state(position.state());
        History history = new History(e.history(), now);
        if (state != null) {
            history.entered(state, position.input());
        }
        Step step = interpreter.step(machine, position, context(e), e.start().input());
        return apply(e, state, step, history, now, null);
    }

    private Turn startMapRun(ParentExecution e, Instant now) {
        Position position = e.at().position();
        DistributedMapState state = (DistributedMapState) machines.apply(e).state(position.state());
        String name = mapRunName(e, position);
        String mapRunId = RunIds.forName(name);
        int length = runs.stateDataLength(runDefinition(state, position, name), parentRef(e, state, position, mapRunId));
        History history = new History(e.history(), now)
                .add("MapStateStarted", "mapStateStartedEventDetails", Json.NODES.objectNode().put("length", length))
                .add("MapRunStarted", "mapRunStartedEventDetails",
                        Json.NODES.objectNode().put("mapRunArn", mapRunArn(e, state, mapRunId)));
        ParentExecution waiting = e.with(e.result(), new Where(Phase.WAIT_MAP_RUN, position, null, mapRunId, 0, mapRunId),
                history.events()).withMapRun(mapRunId);
        if (!fits(waiting)) {
            save.accept(tooLarge(e, now));
            return IDLE;
        }
        save.accept(waiting);
        return ensureStarted(waiting, state, name, now);
    }

    /** Starts the run (again: idempotent by Name); a run the Map-state parser refuses fails the state. */
    private Turn ensureStarted(ParentExecution e, DistributedMapState state, String name, Instant now) {
        Position position = e.at().position();
        String mapRunId = e.at().mapRunId();
        try {
            runs.start(runDefinition(state, position, name), parentRef(e, state, position, mapRunId));
            backlogged.remove(mapRunId);
            return IDLE;
        } catch (SpecException | InvalidParameterException refused) {
            // what AWS finds only when the state starts (ItemsPath selecting no array...): the state fails
            History history = new History(e.history(), now);
            Step step = interpreter.resume(machines.apply(e), position, context(e), e.start().input(), null,
                    StatesError.RUNTIME, "An error occurred while executing the state '" + state.name() + "'. "
                            + refused.getMessage());
            return apply(e, state, step, history, now, mapRunId);
        } catch (LimitExceededException limit) {
            // AWS queues a map run past the open-run quota (it waits at MapRunStarted, counts 0): so does the parent
            if (backlogged.add(mapRunId)) {
                LOG.infof("execution %s: map run %s waits for a free slot (%s)", e.arn(), mapRunId,
                        limit.getMessage());
            }
            return new Later(BACKLOG_RETRY);
        } catch (RuntimeException unavailable) {
            LOG.warnf(unavailable, "execution %s: map run %s could not be started now; trying again", e.arn(), mapRunId);
            return new Later(Duration.ofSeconds(2));
        }
    }

    /** The map run a Distributed Map state starts: its map-run part, its input as Input, the run's Name. */
    private static String runDefinition(DistributedMapState state, Position position, String name) {
        ObjectNode definition = state.runDefinition().deepCopy();
        definition.set("Input", position.input());
        definition.put("Name", name);
        return Json.toString(definition);
    }

    private static ParentRef parentRef(ParentExecution e, DistributedMapState state, Position position,
                                       String mapRunId) {
        return new ParentRef(e.arn(), e.start().name(), e.start().input(), e.start().startDate(),
                e.result().redriveCount(), state.name(), position.enteredTime(), position.retryCount(),
                e.start().stateMachineArn(), e.start().machineName(), mapRunArn(e, state, mapRunId));
    }

    private Turn mapRunOutcome(ParentExecution e, Instant now) {
        Where at = e.at();
        DistributedMapState state = (DistributedMapState) machines.apply(e).state(at.position().state());
        Optional<MapRunStatus> seen = runs.describe(at.mapRunId());
        if (seen.isEmpty()) {
            return ensureStarted(e, state, mapRunName(e, at.position()), now);
        }
        MapRunStatus run = seen.get();
        if (!run.terminal()) {
            return IDLE;
        }
        if (run.redriveCount() < at.mapRunRedriveCount()) {
            // the record says the run was redriven, the snapshot predates it: ask again (a repeat is refused harmlessly)
            return requestRedrive(e, run) ? IDLE : new Later(Duration.ofSeconds(2));
        }
        String arn = mapRunArn(e, state, run.mapRunId());
        History history = new History(e.history(), now);
        JsonNode result = null;
        String error = null;
        String cause = null;
        if (run.status() == RunStatus.SUCCEEDED) {
            try {
                result = outputs.of(run, arn);
                history.add("MapRunSucceeded");
            } catch (StatesError tooBig) {
                history.add("MapRunSucceeded");
                error = tooBig.error();
                cause = tooBig.cause();
            } catch (AggregatorUnavailableException | software.amazon.awssdk.core.exception.SdkException notNow) {
                LOG.warnf("execution %s: the outputs of map run %s cannot be read now (%s); trying again", e.arn(),
                        run.mapRunId(), notNow.getMessage());
                return new Later(Duration.ofSeconds(2));
            }
        } else {
            error = run.error() != null ? run.error() : StatesError.RUNTIME;
            cause = run.cause() != null ? run.cause() : "The map run " + arn + " ended " + run.status();
            if (run.status() == RunStatus.ABORTED) {
                history.add("MapRunAborted");
            } else {
                history.errorEvent("MapRunFailed", "mapRunFailedEventDetails", error, cause);
            }
        }
        Step step = interpreter.resume(machines.apply(e), at.position(), context(e), e.start().input(), result, error,
                cause);
        if (error != null) {
            history.add("MapStateFailed");
        } else if (!(step instanceof ParentInterpreter.Failed)) {
            history.add("MapStateSucceeded");
        }
        return apply(e, state, step, history, now, run.mapRunId());
    }

    /** Writes what {@code step} of {@code state} leads to; {@code mapRunId}: the run the state waited for. */
    private Turn apply(ParentExecution e, State state, Step step, History history, Instant now, String mapRunId) {
        Position position = e.at().position();
        if (history.full()) {
            step = new ParentInterpreter.Failed(StatesError.RUNTIME, "The execution reached the " + History.MAX_EVENTS
                    + " events dmap keeps in an execution's history");
        }
        if (step instanceof ParentInterpreter.Next next && tooBig(next.input())
                || step instanceof ParentInterpreter.Succeeded done && tooBig(done.output())) {
            step = new ParentInterpreter.Failed(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + position.state()
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
        Duration wait = step instanceof ParentInterpreter.Next next ? next.waitFor()
                : step instanceof ParentInterpreter.Succeeded done ? done.waitFor() : null;
        if (wait != null && !wait.isZero() && !wait.isNegative()) {
            // a Wait state: it is left (and its end, or its Next, recorded) once the time has passed
            JsonNode output = step instanceof ParentInterpreter.Next next ? next.input()
                    : ((ParentInterpreter.Succeeded) step).output();
            var variables = step instanceof ParentInterpreter.Next next ? next.variables() : position.variables();
            Position waiting = new Position(state.name(), output, variables, position.enteredTime(), 0, List.of());
            saveWithin(e, now, e.with(e.result(), new Where(Phase.LEAVE_WAIT, waiting, now.plus(wait), null, 0,
                    mapRunId), history.events()));
            return AGAIN;
        }
        if (step instanceof ParentInterpreter.Next next) {
            history.exited(state, next.input());
            saveWithin(e, now, e.with(e.result(), Where.entering(Position.entering(next.state(), next.input(),
                    next.variables(), now), null), history.events()));
            return AGAIN;
        }
        if (step instanceof ParentInterpreter.Succeeded done) {
            history.exited(state, done.output());
            ObjectNode d = Json.NODES.objectNode().put("output", Json.toString(done.output()));
            d.putObject("outputDetails").put("truncated", false);
            history.add("ExecutionSucceeded", "executionSucceededEventDetails", d);
            saveWithin(e, now, e.with(e.result().ended(ParentExecution.SUCCEEDED, now, done.output(), null, null),
                    new Where(Phase.ENTER, position, null, null, 0, mapRunId), history.events()));
            return IDLE;
        }
        if (step instanceof ParentInterpreter.StartMapRun again) {
            Position retry = new Position(position.state(), position.input(), position.variables(),
                    again.retryCount() == 0 ? now : position.enteredTime(), again.retryCount(), again.retrierAttempts());
            Instant resumeAt = again.delay().isZero() ? null : now.plus(again.delay());
            saveWithin(e, now, e.with(e.result(), new Where(Phase.START_MAP_RUN, retry, resumeAt, null, 0,
                    mapRunId), history.events()));
            return AGAIN;
        }
        ParentInterpreter.Failed failed = (ParentInterpreter.Failed) step;
        history.errorEvent("ExecutionFailed", "executionFailedEventDetails", failed.error(), failed.cause());
        saveWithin(e, now, e.with(e.result().ended(ParentExecution.FAILED, now, null, failed.error(), failed.cause()),
                new Where(Phase.ENTER, position, null, null, 0, mapRunId), history.events()));
        return IDLE;
    }

    /** Saves {@code after}, or, when it would be over the record bound, fails the execution where it was. */
    private void saveWithin(ParentExecution before, Instant now, ParentExecution after) {
        save.accept(fits(after) ? after : tooLarge(before, now));
    }

    /** Whether {@code e}'s record stays within {@link #MAX_RECORD_BYTES}. */
    private static boolean fits(ParentExecution e) {
        return Json.toBytes(e).length <= MAX_RECORD_BYTES;
    }

    /** {@code e} (the last record that fitted) failed with States.Runtime: its history cannot grow any more. */
    private static ParentExecution tooLarge(ParentExecution e, Instant now) {
        String cause = "The execution's record (its history and current data) would pass the " + MAX_RECORD_BYTES
                + " bytes dmap can keep in one Kafka message of the executions topic";
        History history = new History(e.history(), now).errorEvent("ExecutionFailed", "executionFailedEventDetails",
                StatesError.RUNTIME, cause);
        return e.with(e.result().ended(ParentExecution.FAILED, now, null, StatesError.RUNTIME, cause),
                new Where(Phase.ENTER, e.at().position(), null, null, 0, e.at().lastMapRunId()), history.events());
    }

    /** StopExecution: the running map run is aborted, the execution ends ABORTED. */
    void stop(ParentExecution e, WorkflowCommand command) {
        Instant now = clock.instant();
        Where at = e.at();
        History history = new History(e.history(), now);
        String waitedFor = abortRunning(at, history);
        history.errorEvent("ExecutionAborted", "executionAbortedEventDetails", command.error(), command.cause());
        save.accept(e.with(e.result().ended(ParentExecution.ABORTED, now, null, command.error(), command.cause()),
                new Where(Phase.ENTER, at.position(), null, null, 0, waitedFor), history.events()));
    }

    /**
     * The machine's TimeoutSeconds has passed (counted from the start, or from the last redrive: AWS resets it): the
     * running map run is aborted, the execution ends TIMED_OUT with States.Timeout. A Task holding a thread is not
     * interrupted; the execution times out when it returns.
     */
    private void timeOut(ParentExecution e, Instant now) {
        Where at = e.at();
        History history = new History(e.history(), now);
        String waitedFor = abortRunning(at, history);
        String cause = "The execution ran longer than the TimeoutSeconds of its state machine ("
                + machines.apply(e).timeout().toSeconds() + " s)";
        history.errorEvent("ExecutionTimedOut", "executionTimedOutEventDetails", StatesError.TIMEOUT, cause);
        save.accept(e.with(e.result().ended(ParentExecution.TIMED_OUT, now, null, StatesError.TIMEOUT, cause),
                new Where(Phase.ENTER, at.position(), null, null, 0, waitedFor), history.events()));
    }

    /** Aborts the map run the execution waits for, if any; gives the run the state last waited for. */
    private String abortRunning(Where at, History history) {
        if (at.phase() != Phase.WAIT_MAP_RUN) {
            return at.lastMapRunId();
        }
        try {
            runs.abort(at.mapRunId());
            history.add("MapRunAborted");
        } catch (MapRunConflictException | MapRunNotFoundException ended) {
            // it ended (or was never accepted) meanwhile: nothing to abort
        }
        return at.mapRunId();
    }

    /** When the execution times out (its machine's TimeoutSeconds after the start or the last redrive), or null. */
    static Instant deadline(ParentExecution e, StateMachine machine) {
        if (machine.timeout() == null) {
            return null;
        }
        Instant from = e.result().redriveDate() != null ? e.result().redriveDate() : e.start().startDate();
        return from.plus(machine.timeout());
    }

    /**
     * RedriveExecution: from the state that failed, with its retry counts reset (AWS); a Distributed Map state whose
     * run failed or was aborted redrives that run (only its unsuccessful items run again), any other starts anew.
     */
    void redrive(ParentExecution e, WorkflowCommand command) {
        Instant now = clock.instant();
        Where at = e.at();
        History history = new History(e.history(), now).add("ExecutionRedriven", "executionRedrivenEventDetails",
                Json.NODES.objectNode().put("redriveCount", e.result().redriveCount() + 1));
        Position p = at.position();
        Position again = new Position(p.state(), p.input(), p.variables(), now, 0, List.of());
        Result result = e.result().redriven(now);
        State state = machines.apply(e).state(p.state());
        Where where = Where.entering(again, null);
        if (state instanceof DistributedMapState map && at.lastMapRunId() != null
                && !StatesError.DATA_LIMIT_EXCEEDED.equals(e.result().error())) {
            Optional<MapRunStatus> run = runs.describe(at.lastMapRunId());
            if (run.isPresent() && run.get().status() != null && run.get().status().redrivable()) {
                int count = run.get().redriveCount() + 1;
                history.add("MapRunRedriven", "mapRunRedrivenEventDetails", Json.NODES.objectNode()
                        .put("mapRunArn", mapRunArn(e, map, at.lastMapRunId())).put("redriveCount", count));
                where = new Where(Phase.WAIT_MAP_RUN, again, null, at.lastMapRunId(), count, at.lastMapRunId());
            }
        }
        ParentExecution redriven = e.with(result, where, history.events());
        save.accept(redriven);
        if (where.phase() == Phase.WAIT_MAP_RUN) {
            requestRedrive(redriven, runs.describe(where.mapRunId()).orElseThrow());
        }
    }

    private boolean requestRedrive(ParentExecution e, MapRunStatus run) {
        try {
            runCommands.redrive(run.mapRunId());
            return true;
        } catch (MapRunConflictException | MapRunNotFoundException refused) {
            LOG.warnf("execution %s: map run %s cannot be redriven now: %s", e.arn(), run.mapRunId(), refused.getMessage());
            return false;
        }
    }

    static ExecutionContext context(ParentExecution e) {
        return new ExecutionContext(e.arn(), e.start().name(), e.start().stateMachineArn(), e.start().startDate(),
                e.result().redriveCount());
    }

    /** A map run's Name: the same for the same execution, state, retry and redrive (a restart starts the same run). */
    static String mapRunName(ParentExecution e, Position at) {
        String seed = e.arn() + "\n" + at.state() + "\n" + at.retryCount() + "\n" + e.result().redriveCount();
        return "parent-" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
    }

    static String mapRunArn(ParentExecution e, DistributedMapState state, String mapRunId) {
        return Arns.parentMapRun(e.start().machineName(), state.label(), mapRunId);
    }

    private static boolean tooBig(JsonNode payload) {
        return payload != null && Json.toString(payload).getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES;
    }
}
