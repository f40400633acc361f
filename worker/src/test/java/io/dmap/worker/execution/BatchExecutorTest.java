package io.dmap.worker.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.ItemError;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.asl.StateMachineInterpreter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outcome of a batch for each way its child execution can end (the Kafka side is tested in messaging). */
class BatchExecutorTest {

    private final List<OutcomeEvent> published = new CopyOnWriteArrayList<>();
    private final List<ExecutionStatus> counted = new ArrayList<>();
    private final Set<String> finishedRuns = ConcurrentHashMap.newKeySet();
    private final BatchExecutor executor = new BatchExecutor(
            new StateMachineInterpreter((resource, p) -> {
                Thread.sleep(p.path("sleepMs").asLong());
                return p;
            }),
            event -> {
                published.add(event);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }, (run, redrive) -> finishedRuns.contains(run), (status, items, took) -> counted.add(status), "w1", Clock.systemUTC(), Duration.ofMillis(20),
            ref -> {
                if (ref.key().equals("missing")) {
                    throw new java.io.FileNotFoundException("no such key");
                }
                return json("{'from':'" + ref.bucket() + "/" + ref.key() + "'}");
            });

    /** Runs the batch; true once its outcome is acknowledged, false when it must run again. */
    private boolean ran(BatchMessage batch) throws InterruptedException {
        return ran(executor, batch);
    }

    private static boolean ran(BatchExecutor executor, BatchMessage batch) throws InterruptedException {
        try {
            executor.execute(batch).stored().toCompletableFuture().join();
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            return false;
        }
    }

    /** Waits until every run's outcome is stored, then returns the ExecutionFinished published. */
    private List<ExecutionFinished> finishedOnceStored(List<BatchRun> runs) throws Exception {
        for (BatchRun r : runs) {
            r.stored().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        return published.stream().filter(ExecutionFinished.class::isInstance).map(ExecutionFinished.class::cast).toList();
    }

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private static BatchMessage batch(String run, String machine, String input) {
        return BatchMessage.of(run, 5, 50, 10, json(input), json(machine));
    }

    private static final String NESTING = "{'ProcessorConfig':{'Mode':'DISTRIBUTED','ExecutionType':'STANDARD'},"
            + "'StartAt':'Inner','States':{'Inner':{'Type':'Map','ItemsPath':'$.items','ItemProcessor':{"
            + "'ProcessorConfig':{'Mode':'DISTRIBUTED','ExecutionType':'EXPRESS'},'StartAt':'P','States':{"
            + "'P':{'Type':'Pass','End':true}}},'End':true}}}";

    @Test
    void aChildThatStartsNestedMapRunsIsHandedOffNotRun() throws Exception {
        List<io.dmap.common.events.ChildHandoff> handedOff = new CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Void> stored = new java.util.concurrent.CompletableFuture<>();
        executor.handoffs(h -> {
            handedOff.add(h);
            return stored;
        });
        BatchMessage batch = new BatchMessage(1, "r9", 3, 30, 2, json("{'items':[1,2]}"), json(NESTING), 1);
        java.util.concurrent.CompletableFuture<Void> outcome = executor.execute(batch).stored().toCompletableFuture();
        assertFalse(outcome.isDone(), "the batch is done (its offset committable) only once the handoff is stored");
        stored.complete(null);
        outcome.join();

        assertEquals(1, handedOff.size());
        io.dmap.common.events.ChildHandoff h = handedOff.get(0);
        assertEquals("r9", h.mapRunId());
        assertEquals(3, h.batchIndex());
        assertEquals(2, h.itemCount());
        assertEquals(1, h.redriveCount());
        assertEquals(json("{'items':[1,2]}"), h.input());
        assertEquals(json(NESTING), h.processor());
        assertEquals(io.dmap.common.spec.Arns.execution(null, "r9", 3), h.executionArn());
        assertTrue(published.isEmpty(), "the parent engine reports the child started and finished, not the lane");
        assertTrue(counted.isEmpty());

        // the same batch delivered again hands off under the same key and attempt (the engine starts it once)
        executor.execute(batch).stored().toCompletableFuture().join();
        assertEquals(h.key(), handedOff.get(1).key());
        assertEquals(h.redriveCount(), handedOff.get(1).redriveCount());
    }

    @Test
    void aChildIsNamedAfterItsRunsArnAsTheResultFilesNameIt() throws Exception {
        String machine = "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{"
                + "'id.$':'$$.Execution.Id','name.$':'$$.Execution.Name','machine.$':'$$.StateMachine.Id'},'End':true}}}";
        String runArn = io.dmap.common.spec.Arns.parentMapRun("orders", "Fan", "r13");
        assertTrue(ran(batch("r13", machine, "{}").withMapRunArn(runArn)));
        ExecutionFinished finished = (ExecutionFinished) published.get(published.size() - 1);
        assertEquals(json("{'id':'arn:dmap:states:local:000000000000:execution:orders/Fan:r13-5','name':'r13-5',"
                + "'machine':'arn:dmap:states:local:000000000000:stateMachine:orders/Fan'}"), finished.output());
        assertEquals(io.dmap.common.spec.Arns.childExecution(runArn, "r13", 5), finished.output().get("id").asText(),
                "the ExecutionArn the aggregator writes for it");
    }

    @Test
    void aHandoffTooLargeForTheBrokerFailsTheChildInsteadOfRetryingForever() throws Exception {
        executor.handoffs(h -> java.util.concurrent.CompletableFuture.failedFuture(
                new ChildHandoffs.TooLarge("too large", null)));
        assertTrue(ran(batch("r11", NESTING, "{'items':[1]}")));
        ExecutionFinished finished = (ExecutionFinished) published.get(published.size() - 1);
        assertEquals(ExecutionStatus.FAILED, finished.status());
        assertEquals("States.DataLimitExceeded", finished.error());
        executor.handoffs(h -> java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("away")));
        assertFalse(ran(batch("r12", NESTING, "{'items':[1]}")), "any other failure: the batch runs again");
    }

    @Test
    void withoutAParentEngineAChildThatStartsNestedMapRunsFails() throws Exception {
        assertTrue(ran(batch("r10", NESTING, "{'items':[1]}")));
        ExecutionFinished finished = (ExecutionFinished) published.get(published.size() - 1);
        assertEquals(ExecutionStatus.FAILED, finished.status());
        assertEquals("States.Runtime", finished.error());
    }

    @Test
    void aSucceedingBatchIsStartedThenFinishedWithItsOutput() throws Exception {
        assertTrue(ran(batch("r1", "{'StartAt':'P','States':{'P':{'Type':'Pass','Result':7,'End':true}}}", "{}")));
        assertEquals(2, published.size());
        ExecutionStarted started = (ExecutionStarted) published.get(0);
        ExecutionFinished finished = (ExecutionFinished) published.get(1);
        assertEquals(5, started.batchIndex());
        assertEquals(10, started.itemCount());
        assertEquals(ExecutionStatus.SUCCEEDED, finished.status());
        assertEquals(Json.NODES.numberNode(7), finished.output());
        assertEquals("w1", finished.worker());
        assertEquals(List.of(ExecutionStatus.SUCCEEDED), counted);
    }

    @Test
    void anUnreadableItemIsReportedFailedWithTheReadersErrorWithoutRunning() throws Exception {
        BatchMessage batch = BatchMessage.unreadable("r6", 3, 30, json("{'line':4}"),
                json("{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}"), new ItemError(ItemError.MALFORMED_ITEM, "line 4: bad JSON"));
        assertTrue(ran(batch));
        assertEquals(1, published.size());
        ExecutionFinished finished = (ExecutionFinished) published.get(0);
        assertEquals(ExecutionStatus.FAILED, finished.status());
        assertEquals("dmap.MalformedItem", finished.error());
        assertEquals("line 4: bad JSON", finished.cause());
    }

    @Test
    void aClaimCheckedInputIsReadBeforeRunningAndStaysReferenced() throws Exception {
        BatchInputRef ref = new BatchInputRef("claims", "r7/0.json");
        ran(batch("r7", "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}", "{}").withInputRef(ref));
        ExecutionFinished finished = (ExecutionFinished) published.get(1);
        assertEquals(json("{'from':'claims/r7/0.json'}"), finished.output());
        assertEquals(ref, finished.inputRef());
        assertEquals(null, finished.input());
    }

    @Test
    void anUnreadableClaimCheckFailsTheExecution() throws Exception {
        ran(batch("r8", "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}", "{}")
                .withInputRef(new BatchInputRef("claims", "missing")));
        ExecutionFinished finished = (ExecutionFinished) published.get(1);
        assertEquals(ExecutionStatus.FAILED, finished.status());
        assertEquals("States.Runtime", finished.error());
        assertTrue(finished.cause().contains("s3://claims/missing"), finished.cause());
    }

    @Test
    void aTaskTimeoutIsReportedTimedOut() throws Exception {
        ran(batch("r2", "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f',"
                + "'TimeoutSeconds':1,'End':true}}}", "{'sleepMs':5000}"));
        ExecutionFinished finished = (ExecutionFinished) published.get(1);
        assertEquals(ExecutionStatus.TIMED_OUT, finished.status());
        assertEquals("States.Timeout", finished.error());
    }

    @Test
    void aBatchOfAFinishedRunIsNotStarted() throws Exception {
        finishedRuns.add("r3");
        assertTrue(ran(batch("r3", "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}", "{}")));
        assertEquals(1, published.size());
        assertEquals(ExecutionStatus.NOT_STARTED, ((ExecutionFinished) published.get(0)).status());
    }

    @Test
    void aBatchWhoseRunStopsWhileItRunsIsAbortedAndTheThreadIsNotLeftInterrupted() throws Exception {
        Thread stopper = new Thread(() -> {
            while (published.isEmpty()) {
                Thread.onSpinWait();
            }
            finishedRuns.add("r4");
        });
        stopper.start();
        assertTrue(ran(batch("r4", "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':600,'End':true}}}", "{}")));
        assertEquals(ExecutionStatus.ABORTED, ((ExecutionFinished) published.get(1)).status());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptedBatchHasNoOutcomeAndIsLeftForRedelivery() throws Exception {
        Thread lane = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            while (published.isEmpty()) {
                Thread.onSpinWait();
            }
            lane.interrupt();
        });
        interrupter.start();
        // a Task runs on the lane's thread (a Wait would not: it parks the child)
        assertFalse(ran(batch("r5", "{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:f','End':true}}}", "{'sleepMs':600000}")));
        assertTrue(Thread.interrupted());
        assertEquals(1, published.size());
    }

    @Test
    void aChildInAWaitHoldsNoThreadAndGoesOnWhenTheWaitIsOver() throws Exception {
        String machine = "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'Next':'P'},"
                + "'P':{'Type':'Pass','Parameters':{'after.$':'$.n'},'End':true}}}";
        int before = Thread.activeCount();
        List<BatchRun> runs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            runs.add(executor.execute(BatchMessage.of("r14", i, i, 1, json("{'n':" + i + "}"), json(machine))));
        }
        assertTrue(runs.stream().noneMatch(r -> r.ran().toCompletableFuture().isDone()), "a child ended in its Wait");
        int waiting = Thread.activeCount() - before;
        assertTrue(waiting < 20, "300 waiting children took " + waiting + " threads");
        List<ExecutionFinished> finished = finishedOnceStored(runs);
        assertEquals(300, finished.size());
        for (ExecutionFinished f : finished) {
            assertEquals(ExecutionStatus.SUCCEEDED, f.status());
            assertEquals(json("{'after':" + f.batchIndex() + "}"), f.output());
            assertEquals(json("{'n':" + f.batchIndex() + "}"), f.input(), "the input of a child parked in its Wait");
            assertTrue(Duration.between(f.startDate(), f.stopDate()).toMillis() >= 1000, "the Wait was cut short");
        }
    }

    /** Children whose Waits end together go on at most {@code resumedAtOnce} at a time; none is lost. */
    @Test
    void childrenGoOnAfterTheirWaitsAtMostResumedAtOnceAtATime() throws Exception {
        java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        BatchExecutor bounded = new BatchExecutor(new StateMachineInterpreter((resource, p) -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(100);
            } finally {
                now.decrementAndGet();
            }
            return p;
        }), event -> {
            published.add(event);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }, (run, redrive) -> false, (status, items, took) -> { }, "w1", Clock.systemUTC(), Duration.ofMillis(20),
                ref -> null).resumedAtOnce(3);
        String machine = "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'Next':'T'},"
                + "'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','End':true}}}";
        List<BatchRun> runs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            runs.add(bounded.execute(BatchMessage.of("r17", i, i, 1, json("{'n':" + i + "}"), json(machine))));
        }
        List<ExecutionFinished> finished = finishedOnceStored(runs);
        assertEquals(3, most.get(), "children running their Task after the Wait at once");
        assertEquals(12, finished.size());
        for (ExecutionFinished f : finished) {
            assertEquals(ExecutionStatus.SUCCEEDED, f.status());
            assertEquals(json("{'n':" + f.batchIndex() + "}"), f.output());
        }
        assertThrows(IllegalArgumentException.class, () -> bounded.resumedAtOnce(0));
    }

    @Test
    void aChildParkedInALongWaitNoLongerHoldsItsInputTree() throws Exception {
        JsonNode input = json("{'Items':[{'id':1,'name':'a'},{'id':2,'name':'b'}]}");
        java.lang.ref.WeakReference<JsonNode> tree = new java.lang.ref.WeakReference<>(input);
        BatchRun run = executor.execute(BatchMessage.of("r16", 5, 50, 2, input,
                json("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':600,'End':true}}}")));
        input = null;
        for (int i = 0; i < 10 && tree.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(tree.get() == null, "the parked child still holds its input as a tree");
        run.cancel();
    }

    @Test
    void aWaitingChildThatIsCancelledEndsAtOnceWithoutAnOutcome() throws Exception {
        BatchRun run = executor.execute(batch("r15", "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':600,"
                + "'End':true}}}", "{}"));
        assertFalse(run.ran().toCompletableFuture().isDone());
        run.cancel();
        assertTrue(run.ran().toCompletableFuture().isDone(), "the cancelled child is not over");
        java.util.concurrent.CompletableFuture<Void> stored = run.stored().toCompletableFuture();
        assertTrue(stored.isCompletedExceptionally(), "a cancelled child must run again");
        assertEquals(List.of(ExecutionStarted.class), published.stream().map(Object::getClass).toList(),
                "a cancelled child reports no end (it runs again)");
    }

    /** With a start-report delay, a quick child costs one outcome; a slow one reports its start first. */
    @Test
    void executionStartedIsReportedOnlyForAChildStillRunningAfterTheDelay() throws Exception {
        BatchExecutor delayed = new BatchExecutor(new StateMachineInterpreter((resource, p) -> {
            Thread.sleep(p.path("sleepMs").asLong());
            return p;
        }), event -> {
            published.add(event);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }, (run, redrive) -> false, (status, items, took) -> { }, "w1", Clock.systemUTC(), Duration.ofMillis(20),
                ref -> null, Duration.ofMillis(200));
        assertTrue(ran(delayed, batch("quick", "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}", "{}")));
        Thread.sleep(300); // past the delay: the cancelled report must not be sent late either
        assertEquals(List.of(ExecutionFinished.class), published.stream().map(Object::getClass).toList());
        published.clear();
        assertTrue(ran(delayed, batch("slow", "{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:f','End':true}}}", "{'sleepMs':600}")));
        assertEquals(List.of(ExecutionStarted.class, ExecutionFinished.class),
                published.stream().map(Object::getClass).toList());
        assertEquals(((ExecutionStarted) published.get(0)).startDate(), ((ExecutionFinished) published.get(1)).startDate());
    }

    @Test
    void anOutcomeThatCannotBeStoredFailsTheFutureSoTheBatchRunsAgain() throws Exception {
        BatchExecutor refusing = new BatchExecutor(new StateMachineInterpreter((resource, p) -> p),
                event -> java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("broker away")),
                (run, redrive) -> false, (status, items, took) -> counted.add(status), "w1", Clock.systemUTC(),
                Duration.ofMillis(20), ref -> null);
        assertFalse(ran(refusing, batch("r9", "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}", "{}")));
        assertEquals(List.of(), counted, "an outcome that was not stored is not counted");
    }

    @Test
    void anInvalidItemProcessorFailsTheBatchNamingEveryProblem() throws Exception {
        assertTrue(ran(batch("r10", "{'StartAt':'P','States':{'P':{'Type':'Pass','Nxt':'Q','End':true},"
                + "'Q':{'Type':'Wait','End':true}}}", "{}")));
        ExecutionFinished finished = (ExecutionFinished) published.get(published.size() - 1);
        assertEquals(ExecutionStatus.FAILED, finished.status());
        assertEquals("States.Runtime", finished.error());
        assertTrue(finished.cause().startsWith("Invalid state machine: "), finished.cause());
        assertTrue(finished.cause().contains("ItemProcessor.States.P.Nxt") && finished.cause().contains("ItemProcessor.States.Q"),
                finished.cause());
    }

    @Test
    void theItemProcessorIsCompiledOncePerRunAndRedrive() {
        BatchExecutor.CompiledProcessors processors = new BatchExecutor.CompiledProcessors();
        String machine = "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}";
        BatchMessage first = batch("r11", machine, "{}");
        BatchMessage second = BatchMessage.of("r11", 6, 60, 10, json("{}"), json(machine));
        BatchMessage redriven = new BatchMessage(first.v(), "r11", 7, 70, 10, json("{}"), json(machine), 1, null, null);
        assertTrue(processors.get(first) == processors.get(second), "compiled again for the same run");
        assertFalse(processors.get(first) == processors.get(redriven), "a redrive got the first attempt's model instead of its own");
    }
}
