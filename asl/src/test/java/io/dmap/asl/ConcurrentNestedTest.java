package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parallel branches and inline Map iterations run concurrently, bounded, first failure cancels the rest. */
class ConcurrentNestedTest {

    private static final String LAMBDA = "arn:aws:lambda:us-east-1:1:function:f";

    @Test
    void parallelBranchesRunAtTheSameTimeAndKeepTheirOrder() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        TaskResource tasks = (r, p) -> {
            bothStarted.countDown();
            // only returns if the other branch runs at the same time
            if (!bothStarted.await(10, TimeUnit.SECONDS)) {
                throw new StatesError("NotConcurrent", "the other branch never started");
            }
            return p;
        };
        StateMachineInterpreter interpreter = new StateMachineInterpreter(tasks, Sleeper.REAL, Clock.systemUTC(), 4);
        ExecutionResult r = interpreter.run(json("{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
                + branch("{'b':1}") + "," + branch("{'b':2}") + "],'End':true}}}"), json("{}"), ExecutionContext.of("x"));
        assertEquals(json("[{'b':1},{'b':2}]"), r.output(), r.cause());
    }

    @Test
    void aFailedBranchFailsTheParallelWithItsErrorAndCancelsTheOther() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowInterrupted = new CountDownLatch(1);
        TaskResource tasks = (r, p) -> {
            if (p.path("slow").asBoolean()) {
                slowStarted.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    slowInterrupted.countDown();
                    throw e;
                }
                return p;
            }
            slowStarted.await(10, TimeUnit.SECONDS);
            throw new StatesError("Branch.Boom", "branch 2 broke");
        };
        StateMachineInterpreter interpreter = new StateMachineInterpreter(tasks, Sleeper.REAL, Clock.systemUTC(), 4);
        long start = System.nanoTime();
        ExecutionResult r = interpreter.run(json("{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
                + branch("{'slow':true}") + "," + branch("{'slow':false}") + "],'End':true}}}"), json("{}"), ExecutionContext.of("x"));
        assertEquals(ExecutionResult.failed("Branch.Boom", "branch 2 broke"), r);
        assertTrue(slowInterrupted.await(10, TimeUnit.SECONDS), "the slow branch was not interrupted");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "waited for the slow branch");
        assertEquals(false, Thread.currentThread().isInterrupted());
    }

    @Test
    void inlineMapHonoursMaxConcurrencyAndKeepsItemOrder() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        TaskResource tasks = (r, p) -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            Thread.sleep(30);
            running.decrementAndGet();
            return p;
        };
        StateMachineInterpreter interpreter = new StateMachineInterpreter(tasks, Sleeper.REAL, Clock.systemUTC(), 16);
        JsonNode items = json("{'xs':[0,1,2,3,4,5,6,7,8,9]}");
        ExecutionResult r = interpreter.run(json("{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.xs',"
                + "'MaxConcurrency':3,'ItemProcessor':{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'" + LAMBDA
                + "','End':true}}},'End':true}}}"), items, ExecutionContext.of("x"));
        assertEquals(items.get("xs"), r.output(), r.cause());
        assertTrue(most.get() <= 3, "ran " + most.get() + " at once");
        assertTrue(most.get() >= 2, "never ran two at once");
    }

    @Test
    void withNoThreadsToLendEverythingRunsOnTheCaller() {
        StateMachineInterpreter interpreter = new StateMachineInterpreter((r, p) -> p, Sleeper.REAL, Clock.systemUTC(), 0);
        ExecutionResult r = interpreter.run(json("{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':["
                + branch("{'b':1}") + "," + "{'StartAt':'M','States':{'M':{'Type':'Map','ItemsPath':'$.xs',"
                + "'ItemProcessor':{'StartAt':'T','States':{'T':{'Type':'Pass','End':true}}},'End':true}}}"
                + "],'End':true}}}"), json("{'xs':[1,2]}"), ExecutionContext.of("x"));
        assertEquals(json("[{'b':1},[1,2]]"), r.output(), r.cause());
    }

    @Test
    void anInterruptStopsTheBranchesAndEndsAsInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch stopped = new CountDownLatch(2);
        TaskResource tasks = (r, p) -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } finally {
                stopped.countDown();
            }
            return p;
        };
        StateMachineInterpreter interpreter = new StateMachineInterpreter(tasks, Sleeper.REAL, Clock.systemUTC(), 4);
        ExecutionResult[] result = new ExecutionResult[1];
        Thread t = new Thread(() -> result[0] = interpreter.run(json("{'StartAt':'P','States':{'P':{'Type':'Parallel',"
                + "'Branches':[" + branch("{'b':1}") + "," + branch("{'b':2}") + "],'End':true}}}"), json("{}"),
                ExecutionContext.of("x")));
        t.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        t.interrupt();
        t.join(10_000);
        assertEquals(ExecutionResult.Status.INTERRUPTED, result[0].status());
        assertTrue(stopped.await(10, TimeUnit.SECONDS), "a branch kept running");
    }

    private static String branch(String parameters) {
        return "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'" + LAMBDA + "','Parameters':" + parameters
                + ",'End':true}}}";
    }
}
