package io.dmap.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StateMachineInterpreter;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.worker.execution.BatchExecutor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lane whose child waits in a Wait state gives its thread back, and still runs its batches one at a time. */
class LaneWaitTest {

    private static final TopicPartition TP = new TopicPartition("map-batches", 7);

    private final List<OutcomeEvent> published = new CopyOnWriteArrayList<>();
    private final BatchExecutor executor = new BatchExecutor(new StateMachineInterpreter((r, p) -> p), event -> {
        published.add(event);
        return CompletableFuture.completedFuture(null);
    }, (run, redrive) -> false, (status, items, took) -> { }, "w1", Clock.systemUTC(), Duration.ofMillis(20), ref -> null);

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private Lane lane(String machine) {
        return new Lane(TP, record -> executor.execute(
                BatchMessage.of("lw", (int) record.offset(), record.offset(), 1, json("{}"), json(machine))));
    }

    private static List<ConsumerRecord<String, byte[]>> records(long... offsets) {
        return java.util.Arrays.stream(offsets)
                .mapToObj(o -> new ConsumerRecord<String, byte[]>(TP.topic(), TP.partition(), o, "lw/" + o, new byte[0]))
                .toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(5);
        }
    }

    private static boolean laneThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dmap-lane-" + TP));
    }

    private List<ExecutionFinished> finished() {
        return published.stream().filter(ExecutionFinished.class::isInstance).map(ExecutionFinished.class::cast).toList();
    }

    @Test
    void whileItsChildWaitsTheLaneHoldsNoThreadAndStartsNothingElse() throws Exception {
        Lane lane = lane("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'End':true}}}");
        try {
            lane.submit(records(0, 1, 2));
            await(() -> !published.isEmpty());
            Thread.sleep(200); // well inside the first child's Wait
            assertFalse(laneThreadAlive(), "a thread works for the lane while its child waits");
            assertEquals(List.of(ExecutionStarted.class), published.stream().map(Object::getClass).toList(),
                    "a later batch started while the first one's child waits");
            assertEquals(3, lane.queued());

            await(lane::idle);
            List<ExecutionFinished> done = finished();
            assertEquals(List.of(0L, 1L, 2L), done.stream().map(ExecutionFinished::batchIndex).toList());
            for (int i = 1; i < done.size(); i++) {
                assertFalse(done.get(i).startDate().isBefore(done.get(i - 1).stopDate()),
                        "batch " + i + " started before the one before it ended");
            }
            assertTrue(done.stream().allMatch(f -> f.status() == ExecutionStatus.SUCCEEDED));
            assertEquals(3, lane.doneOffset());
        } finally {
            lane.stop();
        }
    }

    @Test
    void aLaneGivenUpCutsItsWaitingChildShortWithoutAnOutcomeSoTheBatchRunsAgain() throws Exception {
        Lane lane = lane("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':600,'End':true}}}");
        lane.submit(records(5, 6));
        await(() -> !published.isEmpty());
        long start = System.nanoTime();
        lane.stop();
        lane.awaitOrInterrupt(System.nanoTime() + 200_000_000L);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the drain waited for the 600 s Wait");
        assertEquals(5L, lane.failedAt(), "the cut-short batch is not fetched again");
        assertEquals(-1, lane.doneOffset());
        assertTrue(finished().isEmpty(), "a cut-short child reported an end: " + finished());
        assertTrue(lane.idle());
    }
}
