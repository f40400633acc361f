package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapContext;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.common.spec.Placement;
import io.dmap.asl.map.SpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void aSourceLargerThanTheItemsPerRunLimitFailsTheRunInsteadOfBeingCutShort() {
        MapRunSpec spec = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
                 "ItemBatcher": {"MaxItemsPerBatch": 2}, %s}
                """.formatted(PROCESSOR));
        CountingReader reader = new CountingReader(100, -1);

        PlanResult result = new BatchPlanner(sink, CLOCK, CheckpointPolicy.NEVER, 5).plan("run-limit", spec, reader, 3);

        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, sink.runEvents.get(0));
        assertEquals("States.ItemReaderFailed", failed.error());
        assertTrue(failed.cause().contains("more than 5 items") && failed.cause().contains("planner.limits.max-items-per-run"),
                failed.cause());
        assertEquals(5, reader.read, "reads no item past the limit");
        assertEquals(failed.cause(), result.cause());
    }

    @Test
    void aSourceOfExactlyTheLimitIsPlanned() {
        MapRunSpec spec = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}}, %s}
                """.formatted(PROCESSOR));

        PlanResult result = new BatchPlanner(sink, CLOCK, CheckpointPolicy.NEVER, 5).plan("run-limit-5", spec,
                new CountingReader(5, -1), 3);

        assertEquals(new PlanResult(5, 5, null, null), result);
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
    void runStartFieldsAreResolvedOnceBeforePlanningAndAnObjectIsIteratedByKey() {
        MapRunSpec spec = SpecParser.parse("""
                {"Input": {"byId": {"a": {"n": 1}, "b": {"n": 2}, "c": {"n": 3}}, "per": 2, "tag": "t"},
                 "ItemsPath": "$.byId",
                 "ItemSelector": {"id.$": "$$.Map.Item.Key", "n.$": "$$.Map.Item.Value.n", "src.$": "$$.Map.Item.Source"},
                 "ItemBatcher": {"MaxItemsPerBatchPath": "$.per", "BatchInput": {"At.$": "$$.State.EnteredTime", "tag.$": "$.tag"}},
                 %s}
                """.formatted(PROCESSOR));
        MapContext context = MapContext.forRun("run-o", spec, Instant.parse("2026-12-01T09:00:00.5Z"));

        PlanResult result = planner.plan("run-o", spec, context, InputArrayReader::of, 4, null);

        assertEquals(new PlanResult(3, 2, null, null), result);
        assertEquals(Json.parse("""
                {"BatchInput": {"At": "2026-12-01T09:00:00.500Z", "tag": "t"},
                 "Items": [{"id": "a", "n": 1, "src": "STATE_DATA"}, {"id": "b", "n": 2, "src": "STATE_DATA"}]}
                """), sink.batches.get(0).batch().input());
        assertEquals(Json.parse("""
                {"BatchInput": {"At": "2026-12-01T09:00:00.500Z", "tag": "t"}, "Items": [{"id": "c", "n": 3, "src": "STATE_DATA"}]}
                """), sink.batches.get(1).batch().input());
    }

    @Test
    void aBadRunStartValueFailsTheRunBeforeAnythingIsPublished() {
        MapRunSpec spec = SpecParser.parse("""
                {"Input": {"items": [1, 2], "pct": 150}, "ItemsPath": "$.items", "ToleratedFailurePercentagePath": "$.pct", %s}
                """.formatted(PROCESSOR));

        PlanResult result = planner.plan("run-b", spec, MapContext.forRun("run-b", spec, CLOCK.instant()),
                s -> { throw new AssertionError("no reader is opened for a run that cannot start"); }, 4, null);

        assertEquals(List.of(PlanningFailed.of("run-b", "States.Runtime", "ToleratedFailurePercentage must be between 0 and 100.",
                0, 0, CLOCK.instant())), sink.runEvents);
        assertEquals("States.Runtime", result.error());
        assertTrue(sink.batches.isEmpty());
    }

    @Test
    void maxItemsFromAPathLimitsTheItemsRead() {
        MapRunSpec spec = SpecParser.parse("""
                {"Input": {"max": 3}, "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                 "ReaderConfig": {"MaxItemsPath": "$.max"}, "Parameters": {"Bucket": "b"}}, %s}
                """.formatted(PROCESSOR));
        CountingReader reader = new CountingReader(10, -1);

        PlanResult result = planner.plan("run-m", spec, reader, 4);

        assertEquals(3, result.items());
        assertEquals(3, reader.read);
    }

    @Test
    void aJsonataMapStateSelectsItemsAndShapesThemWithExpressions() {
        MapRunSpec spec = SpecParser.parse("""
                {"QueryLanguage": "JSONata", "Input": {"orders": [{"id": "a", "qty": 2}, {"id": "b", "qty": 5}], "min": 3},
                 "Items": "{% [$states.input.orders[qty >= $states.input.min]] %}",
                 "ItemSelector": {"id": "{% $states.context.Map.Item.Value.id %}", "n": "{% $states.context.Map.Item.Index %}",
                                  "src": "{% $states.context.Map.Item.Source %}"},
                 "ItemBatcher": {"MaxItemsPerBatch": "{% 10 %}", "BatchInput": {"min": "{% $states.input.min %}"}},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P",
                                   "States": {"P": {"Type": "Pass", "End": true}}}}
                """);

        PlanResult result = planner.plan("run-j", spec, MapContext.forRun("run-j", spec, CLOCK.instant()),
                InputArrayReader::of, 4, null);

        assertEquals(new PlanResult(1, 1, null, null), result);
        assertEquals(Json.parse("""
                {"BatchInput": {"min": 3}, "Items": [{"id": "b", "n": 0, "src": "STATE_DATA"}]}
                """), sink.batches.get(0).batch().input());
    }

    @Test
    void anEmptySourcePlansAnEmptyRun() {
        MapRunSpec spec = SpecParser.parse("{\"Input\": [], %s}".formatted(PROCESSOR));
        planner.plan("run-5", spec, new InputArrayReader(spec.input(), "$"), 4);
        assertTrue(sink.batches.isEmpty());
        assertEquals(List.of(RunPlanned.of("run-5", 0, 0, CLOCK.instant())), sink.runEvents);
    }

    @Test
    void anUnparseableItemIsABatchOfItsOwnThatClosesTheOpenOneAndCountsAsAnItem() {
        MapRunSpec spec = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
                 "ItemBatcher": {"MaxItemsPerBatch": 3}, %s}
                """.formatted(PROCESSOR));
        ItemReader reader = () -> ItemStream.of(new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return n < 6;
            }

            @Override
            public JsonNode next() {
                int i = n++;
                if (i == 1) {
                    throw new MalformedItemException("s3://b/k", 2, "{bad".getBytes(), 4, "not valid JSON");
                }
                return Json.NODES.numberNode(i);
            }
        });

        PlanResult result = planner.plan("run-6", spec, reader, 4);

        assertEquals(new PlanResult(6, 4, null, null), result);
        List<io.dmap.common.events.BatchMessage> batches = sink.batches.stream().map(RecordingSink.Placed::batch).toList();
        assertEquals(List.of(1, 1, 3, 1), batches.stream().map(io.dmap.common.events.BatchMessage::itemCount).toList());
        assertEquals(List.of(0L, 1L, 2L, 5L), batches.stream().map(io.dmap.common.events.BatchMessage::firstItemIndex).toList());
        io.dmap.common.events.BatchMessage bad = batches.get(1);
        assertEquals(new io.dmap.common.events.ItemError("dmap.MalformedItem", "s3://b/k line 2: not valid JSON"), bad.readerError());
        assertEquals("{\"line\":2,\"source\":\"s3://b/k\",\"raw\":\"{bad\"}", bad.input().toString());
        assertEquals(1, bad.batchIndex());
        assertEquals(Json.parse("{\"Items\": [2, 3, 4]}"), batches.get(2).input());
        assertEquals(null, batches.get(2).readerError());
    }

    /** With a byte limit a batch may close before an item; otherwise only with one (then fewer positions are taken). */
    @ParameterizedTest
    @ValueSource(strings = {"\"ItemBatcher\": {\"MaxItemsPerBatch\": 4, \"MaxInputBytesPerBatch\": 12},",
            "\"ItemBatcher\": {\"MaxItemsPerBatch\": 4},", ""})
    void planningStoppedAtAnyCheckpointAndResumedFromItPublishesExactlyTheBatchesOfAnUninterruptedRun(String batcher) {
        MapRunSpec spec = SpecParser.parse("""
                {"Input": {"xs": [%s]}, "ItemsPath": "$.xs",
                 %s %s}
                """.formatted(String.join(",", IntStream.range(0, 57).mapToObj(i -> i % 7 == 0 ? "\"long-" + i + "\"" : "" + i)
                        .toList()), batcher, PROCESSOR));
        ItemReader reader = new InputArrayReader(spec.input(), spec.itemsPath());
        RecordingSink whole = new RecordingSink();
        new BatchPlanner(whole, CLOCK, new CheckpointPolicy(1, java.time.Duration.ofDays(1))).plan("run-7", spec, reader, 5);
        assertTrue(whole.checkpoints.size() > 5, "a checkpoint after every batch: " + whole.checkpoints.size());

        for (int stopAt = 1; stopAt < whole.checkpoints.size(); stopAt++) {
            RecordingSink first = new RecordingSink();
            first.stopAfterCheckpoints = stopAt;
            BatchPlanner dying = new BatchPlanner(first, CLOCK, new CheckpointPolicy(1, java.time.Duration.ofDays(1)));
            org.junit.jupiter.api.Assertions.assertThrows(PlanSink.StoppedException.class,
                    () -> dying.plan("run-7", spec, reader, 5));
            PlanCheckpoint last = first.checkpoints.get(stopAt - 1);
            List<RecordingSink.Placed> committed = first.batches.subList(0, (int) last.nextBatchIndex());

            RecordingSink second = new RecordingSink();
            new BatchPlanner(second, CLOCK, new CheckpointPolicy(3, java.time.Duration.ofDays(1)))
                    .plan("run-7", spec, reader, 5, last);

            List<RecordingSink.Placed> all = new java.util.ArrayList<>(committed);
            all.addAll(second.batches);
            assertEquals(whole.batches, all, "stopped after checkpoint " + stopAt);
            assertEquals(whole.runEvents, second.runEvents);
        }
    }

    @Test
    void withoutAnItemSelectorItemsGoVerbatimAndTheirTextCountsTowardsTheByteLimit() {
        List<String> lines = List.of("{\"n\": 1}", "[1, 2]", "1e2");
        ItemReader reader = () -> new ItemStream() {
            int n;

            @Override
            public boolean hasNext() {
                return n < lines.size();
            }

            @Override
            public JsonNode next() {
                return Json.parse(lines.get(n++));
            }

            @Override
            public JsonNode nextVerbatim() {
                byte[] line = lines.get(n++).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                return RawItem.ifOneValue(line, line.length);
            }
        };
        MapRunSpec verbatim = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
                 "ItemBatcher": {"MaxInputBytesPerBatch": 13}, %s}""".formatted(PROCESSOR));
        MapRunSpec selected = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
                 "ItemSelector": {"v.$": "$$.Map.Item.Value"}, %s}""".formatted(PROCESSOR));

        planner.plan("run-v", verbatim, reader, 4);
        RecordingSink parsed = new RecordingSink();
        new BatchPlanner(parsed, CLOCK).plan("run-s", selected, reader, 4);

        // 8 + 6 bytes of text do not fit in 13 (as trees, {"n":1} and [1,2] would: 7 + 5)
        assertEquals(List.of("{\"Items\":[{\"n\": 1}]}", "{\"Items\":[[1, 2],1e2]}"),
                sink.batches.stream().map(p -> Json.toString(p.batch().input())).toList());
        assertEquals(List.of("{\"v\":{\"n\":1}}", "{\"v\":[1,2]}", "{\"v\":100.0}"),
                parsed.batches.stream().map(p -> Json.toString(p.batch().input())).toList());
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
