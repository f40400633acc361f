package io.dmap.worker.messaging;

import io.dmap.worker.execution.BatchRun;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lane runs its batches one after another without waiting for their outcomes' acknowledgements, and the offset it
 * offers for commit only passes a batch once that batch's outcome and every earlier one's are acknowledged.
 */
class LanePipelineTest {

    private static final TopicPartition TP = new TopicPartition("map-batches", 3);

    /** The acknowledgement of each batch's outcome, by offset, completed by the test (the broker's part). */
    private final Map<Long, CompletableFuture<Void>> acks = new ConcurrentHashMap<>();
    private final List<Long> ran = new CopyOnWriteArrayList<>();
    private final Lane lane = new Lane(TP, record -> {
        ran.add(record.offset());
        return BatchRun.ended(acks.computeIfAbsent(record.offset(), o -> new CompletableFuture<>()));
    });

    @AfterEach
    void stop() {
        lane.stop();
    }

    private static List<ConsumerRecord<String, byte[]>> records(long... offsets) {
        return java.util.Arrays.stream(offsets)
                .mapToObj(o -> new ConsumerRecord<String, byte[]>(TP.topic(), TP.partition(), o, "run/" + o, new byte[0]))
                .toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void theLaneRunsAheadButCommitsOnlyUpToTheLastBatchWhoseOutcomeAndAllEarlierOnesAreAcknowledged() throws Exception {
        lane.submit(records(10, 11, 12));
        await(lane::hungry);
        assertEquals(List.of(10L, 11L, 12L), ran, "every batch ran without waiting for the broker");
        assertEquals(-1, lane.doneOffset(), "nothing acknowledged yet: nothing to commit");
        assertFalse(lane.idle(), "outcomes in flight");

        acks.get(11L).complete(null);
        assertEquals(-1, lane.doneOffset(), "batch 11 is acknowledged but batch 10 is not: nothing to commit");

        acks.get(10L).complete(null);
        assertEquals(12, lane.doneOffset(), "10 and 11 acknowledged: commit up to 12 (exclusive)");
        assertFalse(lane.complete());

        acks.get(12L).complete(null);
        assertEquals(13, lane.doneOffset());
        assertTrue(lane.complete());
        assertNull(lane.failedAt());
    }

    @Test
    void anOutcomeThatIsNotStoredHaltsTheLaneThereAndLaterAcknowledgementsDoNotMoveTheCommitPastIt() throws Exception {
        lane.submit(records(20, 21, 22));
        await(lane::hungry);
        acks.get(20L).complete(null);
        acks.get(22L).complete(null);
        acks.get(21L).completeExceptionally(new IllegalStateException("the broker refused the outcome"));
        assertEquals(21, lane.doneOffset(), "only batch 20 is safe");
        assertEquals(21L, lane.failedAt(), "batch 21 and every later one are fetched again");
        assertTrue(lane.idle());
        assertFalse(lane.complete());
    }

    @Test
    void afterAFailedOutcomeQueuedBatchesAreNotStarted() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Lane slow = new Lane(TP, record -> {
            ran.add(record.offset());
            if (record.offset() == 30) {
                gate.join(); // holds the lane until the test has queued the rest
                return BatchRun.ended(CompletableFuture.failedFuture(new IllegalStateException("not stored")));
            }
            return BatchRun.ended(CompletableFuture.completedFuture(null));
        });
        try {
            slow.submit(records(30, 31, 32));
            gate.complete(null);
            await(slow::idle);
            assertEquals(List.of(30L), ran, "batches after the one that must run again are not started");
            assertEquals(30L, slow.failedAt());
            assertEquals(-1, slow.doneOffset());
        } finally {
            slow.stop();
        }
    }

    @Test
    void awaitingTheLaneOnRevocationWaitsForOutcomesInFlight() throws Exception {
        lane.submit(records(40));
        await(lane::hungry);
        new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acks.get(40L).complete(null);
        }).start();
        lane.stop();
        lane.awaitOrInterrupt(System.nanoTime() + 5_000_000_000L);
        assertEquals(41, lane.doneOffset(), "the acknowledgement that arrived during the drain is committed");
    }
}
