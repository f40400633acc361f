package io.dmap.planner.workflow;

import io.dmap.asl.ParentInterpreter;
import io.dmap.asl.StateMachine;
import io.dmap.common.events.ChildHandoff;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunStatus;
import io.dmap.common.spec.SpecException;
import io.dmap.common.json.Json;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.planner.messaging.StatusView;
import io.dmap.planner.service.MapRunCommands;
import io.dmap.planner.service.MapRunService;
import io.dmap.planner.workflow.ParentDriver.Later;
import io.dmap.planner.workflow.ParentDriver.Turn;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives the parent executions of the {@code executions} partitions this replica owns ({@link DriverGroup}). No
 * execution holds a thread while it waits: a Wait or a retry interval is a timer, a Distributed Map state waits for
 * its run's terminal snapshot ({@link StatusView} listener), and only a Task's call occupies one of the pool's
 * threads. Each execution's turns run one at a time (a lock per execution); commands (stop, redrive) take the same
 * lock. Taking over a partition resumes its running executions from their records.
 *
 * <p>The same engine drives STANDARD child executions that workers hand off because they start nested map runs
 * ({@link ChildExecutions}): a handoff becomes the child's first record; the child's end is published as its batch's
 * outcome before its last record is written; a child whose outer map run stops is stopped (its nested run aborted).
 */
final class ParentEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ParentEngine.class);
    private static final int TURNS_BEFORE_YIELD = 50;

    private final ExecutionStore store;
    private final StatusView statusView;
    private final ParentDriver driver;
    private final DriverGroup group;
    private final ScheduledExecutorService pool;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Map<String, String> waitingOn = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
    /** The TimeoutSeconds timer set for each execution (its deadline), so that one is set once. */
    private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Consumer<MapRunStatus> statusListener = this::onStatus;
    private final ChildExecutions children;
    private final MapRunService runs;
    private final Set<String> lookingAgain = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    ParentEngine(ExecutionStore store, StatusView statusView, MapRunService runs, MapRunCommands runCommands,
                 MapRunOutputs outputs, ParentInterpreter interpreter, KafkaClients kafka, PlannerConfig.Workflows config,
                 Clock clock, ChildExecutions children) {
        this.store = store;
        this.children = children;
        this.runs = runs;
        this.statusView = statusView;
        this.clock = clock;
        this.pool = Executors.newScheduledThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "dmap-workflow");
            t.setDaemon(true);
            return t;
        });
        this.driver = new ParentDriver(interpreter, runs, runCommands, outputs, this::machine, this::save, clock);
        String groupId = kafka.topics().namespace().isEmpty() ? config.groupId()
                : kafka.topics().namespace() + "." + config.groupId();
        this.group = new DriverGroup(kafka.config(), kafka.topics().executions(), groupId, this::adopt, this::release);
    }

    void start() {
        store.addListener(this::onRecord);
        store.addCommandListener(this::onCommand);
        store.addHandoffListener(this::onHandoff);
        statusView.addListener(statusListener);
        group.start();
    }

    private void adopt(Set<Integer> partitions) {
        owned.addAll(partitions);
        pool.execute(() -> {
            if (!store.readToEnd(Duration.ofSeconds(60))) {
                LOG.warnf("the executions topic was not read to its end in 60 s; resuming what was read");
            }
            for (ParentExecution e : store.all()) {
                if (e.running() && partitions.contains(store.partitionOf(e.arn()))) {
                    schedule(e.arn(), Duration.ZERO);
                }
            }
            for (WorkflowCommand c : store.commands()) {
                onCommand(c);
            }
            store.all().forEach(children::seen);
            for (ChildHandoff h : store.handoffs()) {
                onHandoff(h);
            }
        });
    }

    private void release(Set<Integer> partitions) {
        owned.removeAll(partitions);
    }

    private boolean owns(String arn) {
        return running && owned.contains(store.partitionOf(arn));
    }

    /** A record another replica wrote (a start) or this one's own, read back: a new running execution is driven. */
    private void onRecord(ParentExecution e) {
        children.seen(e);
        if (e.child() != null && !e.running()) {
            takeUpWaiting(e.child().mapRunId()); // a place under the outer run's MaxConcurrency may be free
        }
        if (e.running() && e.seq() == 1 && owns(e.arn())) {
            schedule(e.arn(), Duration.ZERO);
        }
    }

    private void onCommand(WorkflowCommand command) {
        if (owns(command.executionArn())) {
            pool.execute(() -> apply(command));
        }
    }

    private void onHandoff(ChildHandoff handoff) {
        if (owns(handoff.executionArn())) {
            pool.execute(() -> takeUp(handoff));
        }
    }

    /**
     * A child handed off by a worker: its first record (once per attempt), then the handoff is cleared. The outer
     * run's MaxConcurrency holds here (the lane that handed the child off has moved on): while as many of its children
     * run, the handoff waits, and is looked at again when one of them ends. A handoff of an outer run that stopped is
     * reported not started.
     */
    private void takeUp(ChildHandoff handoff) {
        String arn = handoff.executionArn();
        synchronized (lock(arn)) {
            try {
                if (store.handoff(handoff.key()).isEmpty() || !owns(arn)) {
                    return; // taken up already
                }
                ParentExecution existing = store.get(arn).orElse(null);
                if (!ChildExecutions.starts(handoff, existing)) {
                    store.clear(handoff); // delivered again: the child runs, or ran, once
                    return;
                }
                Optional<MapRunStatus> outer = runs.describe(handoff.mapRunId());
                if (outer.isPresent() && stopped(outer.get(), handoff.redriveCount())) {
                    children.publishNotStarted(handoff, clock.instant());
                    store.clear(handoff);
                    return;
                }
                int max = outer.map(MapRunStatus::maxConcurrency).orElse(0);
                synchronized (lock("run:" + handoff.mapRunId())) {
                    if (max > 0 && children.runningOf(handoff.mapRunId()).size() >= max) {
                        lookAgainLater(handoff);
                        return;
                    }
                    ParentExecution first = ChildExecutions.first(handoff, existing, clock.instant());
                    machines.remove(arn);
                    store.write(first);
                    children.seen(first);
                }
                children.publishStarted(store.get(arn).orElseThrow());
                store.clear(handoff);
                schedule(arn, Duration.ZERO);
            } catch (SpecException invalid) {
                // the worker compiled it with the same compiler: only a definition from elsewhere gets here
                LOG.errorf(invalid, "child execution %s: its ItemProcessor does not compile; the handoff is dropped", arn);
                store.clear(handoff);
            } catch (RuntimeException e) {
                LOG.errorf(e, "child execution %s: the handoff could not be taken up; trying again in 5 s", arn);
                lookAgainLater(handoff);
            }
        }
    }

    /** One timer per waiting handoff at most (a child's end also looks at once). */
    private void lookAgainLater(ChildHandoff handoff) {
        if (running && lookingAgain.add(handoff.key())) {
            pool.schedule(() -> {
                lookingAgain.remove(handoff.key());
                takeUp(handoff);
            }, 5, TimeUnit.SECONDS);
        }
    }

    /** The handoffs of outer run {@code mapRunId} waiting here: looked at again (a child ended, the run stopped). */
    private void takeUpWaiting(String mapRunId) {
        for (ChildHandoff h : store.handoffs()) {
            if (h.mapRunId().equals(mapRunId) && owns(h.executionArn())) {
                pool.execute(() -> takeUp(h));
            }
        }
    }

    private static boolean stopped(MapRunStatus run, int redriveCount) {
        return (run.stopping() || run.terminal()) && run.redriveCount() >= redriveCount;
    }

    /** The outer run of children driven here stopped (failed, aborted): they stop too, as a worker's would. */
    private void stopChildren(MapRunStatus status) {
        for (String arn : children.runningOf(status.mapRunId())) {
            if (!owns(arn)) {
                continue;
            }
            pool.execute(() -> {
                synchronized (lock(arn)) {
                    ParentExecution e = store.get(arn).orElse(null);
                    if (e == null || !e.running() || e.child().redriveCount() > status.redriveCount()) {
                        return; // ended meanwhile, or a child of a newer attempt than this status knows
                    }
                    try {
                        driver.stop(e, WorkflowCommand.stop(arn, null, "The map run stopped while this child"
                                + " execution was running", clock.instant()));
                    } catch (RuntimeException ex) {
                        LOG.errorf(ex, "child execution %s: could not be stopped now; trying again in 5 s", arn);
                        pool.schedule(() -> stopChildren(status), 5, TimeUnit.SECONDS);
                    }
                }
            });
        }
    }

    private void onStatus(MapRunStatus status) {
        if (status.stopping() || status.terminal() && status.status() != RunStatus.SUCCEEDED) {
            stopChildren(status);
            takeUpWaiting(status.mapRunId()); // reported not started
        }
        if (status.terminal()) {
            String arn = waitingOn.remove(status.mapRunId());
            if (arn != null) {
                schedule(arn, Duration.ZERO);
            }
        }
    }

    private void schedule(String arn, Duration delay) {
        if (!running) {
            return;
        }
        if (delay.isZero() || delay.isNegative()) {
            pool.execute(() -> drive(arn));
        } else {
            pool.schedule(() -> drive(arn), delay.toMillis() + 1, TimeUnit.MILLISECONDS);
        }
    }

    private void drive(String arn) {
        synchronized (lock(arn)) {
            try {
                for (int i = 0; i < TURNS_BEFORE_YIELD; i++) {
                    ParentExecution e = store.get(arn).orElse(null);
                    if (e == null || !e.running() || !owns(arn)) {
                        deadlines.remove(arn);
                        return;
                    }
                    armDeadline(e);
                    if (e.at().phase() == ParentExecution.Phase.WAIT_MAP_RUN) {
                        waitingOn.put(e.at().mapRunId(), arn); // before looking: a snapshot arriving now is not missed
                    }
                    Turn turn = driver.turn(e);
                    if (turn instanceof Later later) {
                        schedule(arn, later.delay());
                        return;
                    }
                    if (turn instanceof ParentDriver.Idle) {
                        ParentExecution now = store.get(arn).orElse(e);
                        if (now.running() && now.at().phase() == ParentExecution.Phase.WAIT_MAP_RUN
                                && e.at().phase() != ParentExecution.Phase.WAIT_MAP_RUN) {
                            continue; // it has just started its map run: listen for it, then look once
                        }
                        return;
                    }
                }
                schedule(arn, Duration.ZERO); // a long run of quick states yields to the others
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "execution %s: a turn failed; trying again in 5 s", arn);
                schedule(arn, Duration.ofSeconds(5));
            }
        }
    }

    /** A timer at the execution's TimeoutSeconds deadline: the turn it causes times the execution out. */
    private void armDeadline(ParentExecution e) {
        Instant deadline = ParentDriver.deadline(e, machine(e));
        if (deadline != null && !deadline.equals(deadlines.put(e.arn(), deadline))) {
            schedule(e.arn(), Duration.between(clock.instant(), deadline));
        }
    }

    private void apply(WorkflowCommand command) {
        String arn = command.executionArn();
        synchronized (lock(arn)) {
            try {
                ParentExecution e = store.get(arn).orElse(null);
                if (e != null && WorkflowCommand.STOP.equals(command.kind()) && e.running()) {
                    driver.stop(e, command);
                } else if (e != null && WorkflowCommand.REDRIVE.equals(command.kind()) && !e.running()
                        && !ParentExecution.SUCCEEDED.equals(e.result().status())
                        && command.redriveCount() == e.result().redriveCount() + 1) {
                    driver.redrive(e, command);
                    schedule(arn, Duration.ZERO);
                }
                store.clear(command);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "execution %s: the %s command failed; trying again in 5 s", arn, command.kind());
                pool.schedule(() -> apply(command), 5, TimeUnit.SECONDS);
            }
        }
    }

    private StateMachine machine(ParentExecution e) {
        return machines.computeIfAbsent(e.arn(), a -> e.child() != null ? ChildExecutions.machine(e)
                : StateMachine.compileWhole(Json.parse(e.start().definition())));
    }

    private void save(ParentExecution e) {
        if (e.child() != null && !e.running()) {
            children.publishOutcome(e); // first: a driver killed between the two repeats the end, and the outcome
        }
        store.write(e);
    }

    private Object lock(String arn) {
        return locks.computeIfAbsent(arn, a -> new Object());
    }

    /** Stops driving as a killed process would: nothing more is written, the group forgets this member. */
    void halt() {
        running = false;
        statusView.removeListener(statusListener);
        group.close();
        pool.shutdownNow();
    }

    @Override
    public void close() {
        halt();
    }
}
