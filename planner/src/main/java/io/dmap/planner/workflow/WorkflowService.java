package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.ParentInterpreter;
import io.dmap.asl.ParentInterpreter.Position;
import io.dmap.asl.StateMachine;
import io.dmap.asl.StateMachineInterpreter;
import io.dmap.asl.Sleeper;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.planner.messaging.StatusView;
import io.dmap.planner.service.MapRunCommands;
import io.dmap.planner.service.MapRunService;
import io.dmap.planner.workflow.ParentExecution.Result;
import io.dmap.planner.workflow.ParentExecution.Start;
import io.dmap.planner.workflow.ParentExecution.Where;
import io.dmap.service.BucketGuard;
import io.dmap.service.DmapConfig;
import io.dmap.service.task.HttpInvoke;
import io.dmap.service.task.LambdaInvoke;
import io.dmap.service.task.OutboundGuard;
import io.dmap.service.task.S3Actions;
import io.dmap.service.task.TaskResources;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@link Workflows} on the planner: executions are records on the {@code executions} topic ({@link ExecutionStore}),
 * readable on every replica; the replica that owns an execution's partition drives it ({@link ParentEngine}). Start
 * writes the first record (the owner picks it up); stop and redrive write a command the owner applies, and wait a
 * little for it to show.
 */
@ApplicationScoped
public class WorkflowService implements Workflows {

    /** AWS: an execution name has 1 to 80 characters, none of them whitespace, brackets, wildcards or punctuation. */
    private static final Pattern NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]{1,80}");
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(10);

    private final ExecutionStore store;
    private final StatusView statusView;
    private final MapRunService runs;
    private final MapRunCommands runCommands;
    private final MapRunOutputs outputs;
    private final KafkaClients kafka;
    private final PlannerConfig config;
    private final DmapConfig dmap;
    private final S3Client s3;
    private final Clock clock = Clock.systemUTC();
    private ParentEngine engine;

    public WorkflowService(ExecutionStore store, StatusView statusView, MapRunService runs, MapRunCommands runCommands,
                           MapRunOutputs outputs, KafkaClients kafka, PlannerConfig config, DmapConfig dmap, S3Client s3) {
        this.store = store;
        this.statusView = statusView;
        this.runs = runs;
        this.runCommands = runCommands;
        this.outputs = outputs;
        this.kafka = kafka;
        this.config = config;
        this.dmap = dmap;
        this.s3 = s3;
    }

    /** Reads the executions topic and joins the drivers' group (after the topics exist and the status view runs). */
    public synchronized void startEngine() {
        if (engine != null) {
            return;
        }
        store.start();
        engine = newEngine(store);
        engine.start();
    }

    /** An engine of its own (a second replica in one JVM, for tests of takeover), reading {@code store}. */
    ParentEngine newEngine(ExecutionStore store) {
        return new ParentEngine(store, statusView, runs, runCommands, outputs, interpreter(), kafka,
                config.workflows(), clock, new ChildExecutions(kafka.producer(), kafka.topics().outcomes(),
                        config.publishTimeout()));
    }

    /** The engine of this replica, e.g. to halt it as a crash would (tests). */
    ParentEngine engine() {
        return engine;
    }

    private ParentInterpreter interpreter() {
        PlannerConfig.Workflows w = config.workflows();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        OutboundGuard guard = new OutboundGuard(w.allowedHosts().orElse(List.of()), w.allowLoopback(),
                w.allowLinkLocal());
        TaskResources tasks = new TaskResources(new HttpInvoke(http, w.httpRequestTimeout(), guard),
                new LambdaInvoke(http, w.lambdaFunctions(), guard), new S3Actions(s3, BucketGuard.of(dmap)));
        return new ParentInterpreter(new StateMachineInterpreter(tasks, Sleeper.REAL, clock, w.inlineThreads()));
    }

    @Override
    public void validate(String definition) {
        JsonNode root;
        try {
            root = Json.parse(definition);
        } catch (RuntimeException e) {
            throw new SpecException("$", "is not valid JSON: " + e.getMessage());
        }
        StateMachine.compileWhole(root);
    }

    @Override
    public ExecutionView start(MachineDefinition machine, String name, String input) {
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        if (!NAME.matcher(executionName).matches()) {
            throw new WorkflowException("InvalidName", "Invalid Name: '" + executionName + "'");
        }
        JsonNode parsedInput;
        try {
            parsedInput = input == null || input.isBlank() ? Json.NODES.objectNode() : Json.parse(input);
        } catch (RuntimeException e) {
            throw new WorkflowException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                    + e.getMessage() + "'");
        }
        StateMachine compiled = StateMachine.compileWhole(Json.parse(machine.definition()));
        String arn = Arns.parentExecution(machine.name(), executionName);
        store.readToEnd(config.statusCatchUpTimeout());
        Optional<ParentExecution> existing = store.get(arn);
        if (existing.isPresent()) {
            if (existing.get().start().input().equals(parsedInput) && existing.get().running()) {
                return existing.get().view();
            }
            throw new WorkflowException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
        java.time.Instant now = clock.instant();
        ObjectNode started = Json.NODES.objectNode().put("input", Json.toString(parsedInput))
                .put("roleArn", machine.roleArn()).put("stateMachineArn", machine.stateMachineArn());
        started.putObject("inputDetails").put("truncated", false);
        History history = new History(List.of(), now).add("ExecutionStarted", "executionStartedEventDetails", started);
        ParentExecution first = new ParentExecution(ParentExecution.SCHEMA_VERSION, 1,
                new Start(arn, machine.stateMachineArn(), machine.name(), executionName, machine.definition(),
                        machine.roleArn(), parsedInput, now),
                new Result(ParentExecution.RUNNING, null, null, null, null, 0, null),
                Where.entering(Position.entering(compiled.startAt(), parsedInput, Map.of(), now), null),
                List.of(), history.events());
        store.write(first);
        return first.view();
    }

    @Override
    public Optional<ExecutionView> describe(String executionArn) {
        return store.get(executionArn).map(ParentExecution::view);
    }

    @Override
    public List<ExecutionView> list(String stateMachineArn, String status) {
        Predicate<ParentExecution> wanted = e -> e.start().stateMachineArn().equals(stateMachineArn)
                && (status == null || status.equals(e.result().status()));
        return store.all().stream().filter(wanted)
                .sorted(Comparator.comparing((ParentExecution e) -> e.start().startDate()).reversed())
                .map(ParentExecution::view).toList();
    }

    @Override
    public ExecutionView stop(String executionArn, String error, String cause) {
        ParentExecution e = known(executionArn);
        if (!e.running()) {
            return e.view();
        }
        store.send(WorkflowCommand.stop(executionArn, error, cause, clock.instant()));
        return awaitView(executionArn, x -> !x.running());
    }

    @Override
    public ExecutionView redrive(String executionArn) {
        ParentExecution e = known(executionArn);
        String status = e.result().status();
        if (e.running() || ParentExecution.SUCCEEDED.equals(status)) {
            throw new WorkflowException("ExecutionNotRedrivable", "Execution is " + status + " and cannot be redriven");
        }
        if (e.child() != null) {
            // AWS: a map run's children are REDRIVABLE_BY_MAP_RUN; the batch's outcome is counted once per attempt
            throw new WorkflowException("ExecutionNotRedrivable", "Execution is a child execution of map run "
                    + e.child().mapRunId() + ": redrive the map run");
        }
        int next = e.result().redriveCount() + 1;
        store.send(WorkflowCommand.redrive(executionArn, next, clock.instant()));
        return awaitView(executionArn, x -> x.result().redriveCount() >= next);
    }

    @Override
    public List<HistoryEvent> history(String executionArn) {
        return known(executionArn).history();
    }

    private ParentExecution known(String executionArn) {
        return store.get(executionArn).orElseThrow(() -> new WorkflowException("ExecutionDoesNotExist",
                "Execution Does Not Exist: '" + executionArn + "'"));
    }

    /** The view once the driver has applied the command (or after a while, as it stands). */
    private ExecutionView awaitView(String executionArn, Predicate<ParentExecution> applied) {
        long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ParentExecution e = known(executionArn);
            if (applied.test(e)) {
                return e.view();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return known(executionArn).view();
    }

    @PreDestroy
    synchronized void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
