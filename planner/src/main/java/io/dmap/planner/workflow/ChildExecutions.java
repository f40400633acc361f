package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.ParentInterpreter.Position;
import io.dmap.asl.StateMachine;
import io.dmap.common.events.ChildHandoff;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.planner.workflow.ParentExecution.Result;
import io.dmap.planner.workflow.ParentExecution.Start;
import io.dmap.planner.workflow.ParentExecution.Where;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * STANDARD child executions handed off by workers because they start nested map runs ({@link ChildHandoff}): the
 * parent engine drives them as it drives a parent, from their first state. This class makes a handoff into the
 * execution's first record, turns the execution's end into the batch's {@link ExecutionFinished} on
 * {@code map-outcomes} (the record the worker would have sent, so the aggregator counts the child once), and knows
 * which children of each outer map run are running (to abort them when the outer run stops).
 */
final class ChildExecutions {

    private static final ObjectWriter OUTCOME = Json.MAPPER.writerFor(OutcomeEvent.class);
    /** Who the outcome says ran the child. */
    static final String RUN_BY = "planner";

    private final Producer<String, byte[]> producer;
    private final String outcomesTopic;
    private final Duration publishTimeout;
    /** Outer map run id → ARNs of its running children driven here or elsewhere (from the records read). */
    private final Map<String, Set<String>> running = new ConcurrentHashMap<>();

    ChildExecutions(Producer<String, byte[]> producer, String outcomesTopic, Duration publishTimeout) {
        this.producer = producer;
        this.outcomesTopic = outcomesTopic;
        this.publishTimeout = publishTimeout;
    }

    /**
     * Whether {@code handoff} starts a child: none is recorded under its ARN yet, or the one recorded is of an earlier
     * attempt (the outer run was redriven, and the batch with it). A handoff delivered again starts nothing.
     */
    static boolean starts(ChildHandoff handoff, ParentExecution existing) {
        return existing == null || existing.child() != null
                && existing.child().redriveCount() < handoff.redriveCount() && !existing.running();
    }

    /** The child's first record: entering the ItemProcessor's StartAt with the batch's input. */
    static ParentExecution first(ChildHandoff h, ParentExecution previous, Instant now) {
        StateMachine machine = StateMachine.compile(h.processor(), "ItemProcessor");
        ObjectNode started = Json.NODES.objectNode().put("input", Json.toString(h.input()))
                .put("stateMachineArn", h.stateMachineArn());
        started.putObject("inputDetails").put("truncated", false);
        History history = new History(List.of(), now).add("ExecutionStarted", "executionStartedEventDetails", started);
        Start start = new Start(h.executionArn(), h.stateMachineArn(), Arns.lastSegment(h.stateMachineArn()),
                h.executionName(), Json.toString(h.processor()), null, h.input(), now);
        Result result = new Result(ParentExecution.RUNNING, null, null, null, null, h.redriveCount(),
                h.redriveCount() == 0 ? null : now);
        return new ParentExecution(ParentExecution.SCHEMA_VERSION, previous == null ? 1 : previous.seq() + 1, start,
                result, Where.entering(Position.entering(machine.startAt(), h.input(), Map.of(), now), null),
                List.of(), history.events(), h);
    }

    /** The compiled machine of a child: an ItemProcessor, whose top-level Distributed Maps start nested runs. */
    static StateMachine machine(ParentExecution e) {
        return StateMachine.compile(e.child().processor(), "ItemProcessor");
    }

    /** The child was started (its first record written): the aggregator counts it running from now. */
    void publishStarted(ParentExecution e) {
        send(e.child().started(e.start().startDate(), RUN_BY), e.arn());
    }

    /** The ended child's outcome, stored (acks=all) before its last record is written: a repeat is dropped downstream. */
    void publishOutcome(ParentExecution e) {
        send(e.child().finished(status(e.result().status()), e.result().output(), e.result().error(),
                e.result().cause(), e.start().startDate(), e.result().stopDate(), RUN_BY), e.arn());
    }

    /** The outer run stopped before {@code h} was started. */
    void publishNotStarted(ChildHandoff h, Instant at) {
        send(h.notStarted(at, RUN_BY), h.executionArn());
    }

    private void send(OutcomeEvent event, String arn) {
        try {
            producer.send(new ProducerRecord<>(outcomesTopic, event.mapRunId(), OUTCOME.writeValueAsBytes(event)))
                    .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing an outcome of " + arn, ie);
        } catch (ExecutionException | TimeoutException | java.io.IOException ex) {
            throw new IllegalStateException("cannot publish an outcome of " + arn + ": " + ex.getMessage(), ex);
        }
    }

    private static ExecutionStatus status(String status) {
        return switch (status) {
            case ParentExecution.SUCCEEDED -> ExecutionStatus.SUCCEEDED;
            case ParentExecution.ABORTED -> ExecutionStatus.ABORTED;
            case ParentExecution.TIMED_OUT -> ExecutionStatus.TIMED_OUT;
            default -> ExecutionStatus.FAILED;
        };
    }

    /** Keeps the index of running children up to date with a record read or written. */
    void seen(ParentExecution e) {
        if (e.child() == null) {
            return;
        }
        String run = e.child().mapRunId();
        if (e.running()) {
            running.computeIfAbsent(run, r -> ConcurrentHashMap.newKeySet()).add(e.arn());
        } else {
            running.computeIfPresent(run, (r, arns) -> {
                arns.remove(e.arn());
                return arns.isEmpty() ? null : arns;
            });
        }
    }

    /** The running children of outer map run {@code mapRunId}. */
    Set<String> runningOf(String mapRunId) {
        return Set.copyOf(running.getOrDefault(mapRunId, Set.of()));
    }
}
