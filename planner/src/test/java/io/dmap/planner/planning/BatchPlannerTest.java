package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.json.Json;
import io.dmap.common.spec.MapRunSpec;
import io.dmap.common.spec.Placement;
import io.dmap.common.spec.SpecParser;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchPlannerTest {

    private static final String PROCESSOR = """
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}
            """;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private final RecordingSink sink = new RecordingSink();
    private final BatchPlanner planner = new BatchPlanner(sink, CLOCK);

    @Test
    void plansInputItemsWithSelectorAndBatcherOnPlacementPartitions() {
        MapRunSpec spec = SpecParser.parse("""
                {"ItemsPath": "$.things", "Input": {"things": [10, 11, 12, 13, 14], "tag": "t"},
                 "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "tag.$": "$.tag"},
                 "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"b": 1}},
                 "MaxConcurrency": 2, %s}
                """.formatted(PROCESSOR));

        PlanResult result = planner.plan("run-1", spec, new InputArrayReader(spec.input(), spec.itemsPath()), 12);

        assertEquals(new PlanResult(5, 3, null, null), result);
        assertEquals(3, sink.batches.size());
        for (int i = 0; i < 3; i++) {
            RecordingSink.Placed placed = sink.batches.get(i);
            assertEquals(i, placed.batch().batchIndex());
            assertEquals(2L * i, placed.batch().firstItemIndex());
            assertEquals("run-1/" + i, placed.batch().key());
            assertEquals(Placement.partitionFor("run-1", i, 2, 12), placed.partition());
            assertEquals(spec.itemProcessor(), placed.batch().processor());
        }
        assertEquals(2, sink.batches.stream().map(RecordingSink.Placed::partition).distinct().count());
        assertEquals(Json.parse("""
                {"BatchInput": {"b": 1}, "Items": [{"v": 12, "i": 2, "tag": "t"}, {"v": 13, "i": 3, "tag": "t"}]}
                """), sink.batches.get(1).batch().input());
        assertEquals(List.of(RunPlanned.of("run-1", 5, 3, CLOCK.instant())), sink.runEvents);
    }

    @Test
    void maxItemsLimitsTheItemsRead() {
        MapRunSpec spec = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"},
                                "ReaderConfig": {"MaxItems": 4}}, %s}
                """.formatted(PROCESSOR));
        CountingReader reader = new CountingReader(100, -1);

        PlanResult result = planner.plan("run-2", spec, reader, 3);

        assertEquals(new PlanResult(4, 4, null, null), result);
        assertEquals(4, reader.read, "reading stops at MaxItems");
        assertEquals(Json.NODES.numberNode(3), sink.batches.get(3).batch().input());
    }

    @Test
    void aReaderFailureFailsTheRunAfterPublishingTheClosedBatches() {
        MapRunSpec spec = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
                 "ItemBatcher": {"MaxItemsPerBatch": 3}, %s}
                """.formatted(PROCESSOR));

        PlanResult result = planner.plan("run-3", spec, new CountingReader(100, 7), 4);

        assertEquals(2, sink.batches.size(), "batches 0 and 1 were closed; the open third one is dropped");
        assertEquals(1, sink.runEvents.size());
        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, sink.runEvents.get(0));
        assertEquals(PlanningFailed.of("run-3", "States.ItemReaderFailed", "cannot read item 7 of s3://b", 6, 2,
                CLOCK.instant()), failed);
        assertEquals(failed.cause(), result.cause());
        assertTrue(sink.flushes >= 1, "published batches are flushed before the failure is reported");
    }

    @Test
    void aSelectorPathThatSelectsNothingFailsTheRunWithStatesRuntime() {
        MapRunSpec spec = SpecParser.parse("""
                {"Input": [{"k": 1}, {"x": 2}], "ItemSelector": {"k.$": "$$.Map.Item.Value.k"}, %s}
                """.formatted(PROCESSOR));

        planner.plan("run-4", spec, new InputArrayReader(spec.input(), "$"), 4);

        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, sink.runEvents.get(0));
        assertEquals("States.Runtime", failed.error());
        assertEquals(1, failed.batchesPublished());
        assertTrue(failed.cause().contains("item 1"), failed.cause());
    }

    @Test
    void anEmptySourcePlansAnEmptyRun() {
        MapRunSpec spec = SpecParser.parse("{\"Input\": [], %s}".formatted(PROCESSOR));
        planner.plan("run-5", spec, new InputArrayReader(spec.input(), "$"), 4);
        assertTrue(sink.batches.isEmpty());
        assertEquals(List.of(RunPlanned.of("run-5", 0, 0, CLOCK.instant())), sink.runEvents);
    }

    /** Yields 0, 1, 2, ... up to {@code count} items, failing at item {@code failAt} (if not negative). */
    private static final class CountingReader implements ItemReader {
        private final int count;
        private final int failAt;
        int read;

        CountingReader(int count, int failAt) {
            this.count = count;
            this.failAt = failAt;
        }

        @Override
        public ItemStream open() {
            Iterator<Integer> numbers = IntStream.range(0, count).iterator();
            return ItemStream.of(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return numbers.hasNext();
                }

                @Override
                public JsonNode next() {
                    int n = numbers.next();
                    if (n == failAt) {
                        throw new ItemReaderException("cannot read item " + n + " of s3://b");
                    }
                    read++;
                    return Json.NODES.numberNode(n);
                }
            });
        }
    }
}
