package io.dmap.planner.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ItemError;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.SpecParser;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.tracing.RunTracing;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.common.topics.Topics;
import io.dmap.planner.it.TopicReader;
import io.dmap.planner.planning.CheckpointPolicy;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderFactory;
import io.dmap.planner.planning.ItemStream;
import io.dmap.planner.s3.S3ItemReaders;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Planner replicas as plain Java on the real broker and S3 server: a planner dies mid-run and another finishes the
 * run with every item in exactly one batch; two replicas share the runs without planning one twice.
 */
@ExtendWith(DmapInfraExtension.class)
class PlannerGroupTest {

    private static final String BUCKET = "planner-group";
    private static final String PROCESSOR = """
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    @Test
    void aPlannerThatDiesMidRunIsReplacedAndEveryItemIsInExactlyOneBatch(DmapInfra infra) throws Exception {
        Topics topics = freshTopics(infra);
        int lines = 20_000;
        int badLine = 15_001;
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            file.append(i + 1 == badLine ? "{broken" : "{\"i\": " + i + "}").append('\n');
        }
        infra.createBucket(BUCKET);
        infra.s3().putObject(b -> b.bucket(BUCKET).key("big.jsonl"), RequestBody.fromString(file.toString()));
        String id = UUID.randomUUID().toString();
        AtomicLong read = new AtomicLong();
        PlannerSettings settings = settings(infra, topics, "planners-" + UUID.randomUUID());
        ItemReaderFactory slow = throttled(new S3ItemReaders(infra.s3()), read);

        PlannerGroup first = new PlannerGroup(settings, slow, Clock.systemUTC(), PlannerGroup.Listener.NONE);
        first.start();
        request(infra, topics, id, jsonl("big.jsonl", "\"ItemBatcher\": {\"MaxItemsPerBatch\": 10}"));
        awaitTrue(() -> read.get() >= 8_000, "the first planner reads 8000 items");
        first.halt();
        long visibleAtDeath = batchesOf(infra, topics, id).size();

        PlannerGroup second = new PlannerGroup(settings, slow, Clock.systemUTC(), PlannerGroup.Listener.NONE);
        second.start();
        try {
            RunPlanned planned = awaitPlanned(infra, topics, id);
            List<BatchMessage> batches = batchesOf(infra, topics, id);

            assertTrue(visibleAtDeath > 0 && visibleAtDeath < planned.totalBatches(),
                    "the first planner committed some batches, not all: " + visibleAtDeath);
            assertEquals(lines, planned.totalItems());
            assertExactlyOnce(batches, planned, lines);
            List<BatchMessage> bad = batches.stream().filter(b -> b.readerError() != null).toList();
            assertEquals(1, bad.size());
            assertEquals(new ItemError("dmap.MalformedItem", "s3://planner-group/big.jsonl line " + badLine
                    + ": " + bad.get(0).readerError().cause().substring(bad.get(0).readerError().cause().indexOf(": ") + 2)),
                    bad.get(0).readerError());
            assertEquals(badLine, bad.get(0).input().get("line").asInt());
            assertEquals("{broken", bad.get(0).input().get("raw").asText());
            assertEquals(badLine - 1, bad.get(0).firstItemIndex());
            assertEquals(1, runPlannedCount(infra, topics, id));
        } finally {
            second.close();
        }
    }

    /**
     * A planner whose producer is fenced while its replica still owns the partition (what the broker does to a
     * transaction whose timeout passed, e.g. across a broker restart: it aborts it and bumps the epoch) starts again
     * and plans the run to its end, once; it used to end its thread, leaving the partition's runs unplanned until
     * the next rebalance.
     */
    @Test
    void aPlannerFencedWhileItOwnsThePartitionStartsAgainAndPlansTheRunOnce(DmapInfra infra) throws Exception {
        Topics topics = freshTopics(infra);
        int lines = 20_000;
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            file.append("{\"i\": ").append(i).append("}\n");
        }
        infra.createBucket(BUCKET);
        infra.s3().putObject(b -> b.bucket(BUCKET).key("fenced.jsonl"), RequestBody.fromString(file.toString()));
        String id = UUID.randomUUID().toString();
        AtomicLong read = new AtomicLong();
        PlannerSettings settings = settings(infra, topics, "planners-" + UUID.randomUUID());

        PlannerGroup group = new PlannerGroup(settings, throttled(new S3ItemReaders(infra.s3()), read), Clock.systemUTC(),
                PlannerGroup.Listener.NONE);
        group.start();
        try {
            request(infra, topics, id, jsonl("fenced.jsonl", "\"ItemBatcher\": {\"MaxItemsPerBatch\": 10}"));
            awaitTrue(() -> read.get() >= 5_000, "the planner reads 5000 items");
            int partitions;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
                partitions = TopicCreator.partitionCount(admin, topics.runs());
            }
            for (int p = 0; p < partitions; p++) {
                try (KafkaProducer<String, byte[]> fencer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId(p)),
                        new StringSerializer(), new ByteArraySerializer())) {
                    fencer.initTransactions(); // bumps the epoch: the planner's open transaction is aborted
                }
            }
            assertTrue(read.get() < lines, "fenced mid-run, not after it: " + read.get());

            RunPlanned planned = awaitPlanned(infra, topics, id);
            assertEquals(lines, planned.totalItems());
            assertExactlyOnce(batchesOf(infra, topics, id), planned, lines);
            assertEquals(1, runPlannedCount(infra, topics, id));
            assertEquals(partitions, group.ownedPartitions(), "the replica kept its partitions");
        } finally {
            group.close();
        }
    }

    @Test
    void twoReplicasShareTheRunsAndPlanEachOnce(DmapInfra infra) throws Exception {
        Topics topics = freshTopics(infra);
        infra.createBucket(BUCKET);
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            file.append("{\"i\": ").append(i).append("}\n");
        }
        infra.s3().putObject(b -> b.bucket(BUCKET).key("medium.jsonl"), RequestBody.fromString(file.toString()));
        PlannerSettings settings = settings(infra, topics, "planners-" + UUID.randomUUID());
        S3ItemReaders readers = new S3ItemReaders(infra.s3());
        PlannerGroup a = new PlannerGroup(settings, readers, Clock.systemUTC(), PlannerGroup.Listener.NONE);
        PlannerGroup b = new PlannerGroup(settings, readers, Clock.systemUTC(), PlannerGroup.Listener.NONE);
        a.start();
        b.start();
        try {
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                request(infra, topics, id, jsonl("medium.jsonl", "\"ItemBatcher\": {\"MaxItemsPerBatch\": 7}"));
            }
            for (String id : ids) {
                RunPlanned planned = awaitPlanned(infra, topics, id);
                assertEquals(3_000, planned.totalItems());
                assertExactlyOnce(batchesOf(infra, topics, id), planned, 3_000);
                assertEquals(1, runPlannedCount(infra, topics, id), "map run " + id + " planned once");
            }
            assertTrue(a.ownedPartitions() > 0 && b.ownedPartitions() > 0,
                    "both replicas plan: " + a.ownedPartitions() + " and " + b.ownedPartitions());
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aBatchTooBigForAKafkaMessageTravelsThroughS3ByReference(DmapInfra infra) throws Exception {
        Topics topics = freshTopics(infra);
        infra.createBucket(BUCKET);
        infra.createBucket("planner-claims");
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            file.append("{\"i\": ").append(i).append(", \"pad\": \"").append("p".repeat(i == 4 ? 2000 : 10)).append("\"}\n");
        }
        infra.s3().putObject(b -> b.bucket(BUCKET).key("claims.jsonl"), RequestBody.fromString(file.toString()));
        PlannerSettings base = settings(infra, topics, "planners-" + UUID.randomUUID());
        PlannerSettings settings = new PlannerSettings(base.kafka(), topics, base.groupId(), base.checkpoints(),
                base.kafkaTimeout(), new ClaimCheck(infra.s3(), "planner-claims", "cc/", 1500));
        String id = UUID.randomUUID().toString();
        PlannerGroup group = new PlannerGroup(settings, new S3ItemReaders(infra.s3()), Clock.systemUTC(),
                PlannerGroup.Listener.NONE);
        group.start();
        try {
            request(infra, topics, id, jsonl("claims.jsonl", "\"ItemBatcher\": {\"MaxItemsPerBatch\": 2}"));
            RunPlanned planned = awaitPlanned(infra, topics, id);
            List<BatchMessage> batches = new ArrayList<>(batchesOf(infra, topics, id));
            batches.sort(java.util.Comparator.comparingLong(BatchMessage::batchIndex));

            assertEquals(3, planned.totalBatches());
            assertEquals(null, batches.get(0).inputRef());
            assertEquals(2, batches.get(0).input().get("Items").size());
            BatchMessage big = batches.get(2);
            assertEquals(new io.dmap.common.events.BatchInputRef("planner-claims", "cc/" + id + "/2.json"), big.inputRef());
            assertTrue(big.input() == null || big.input().isNull());
            JsonNode stored = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket("planner-claims").key("cc/" + id + "/2.json"))
                    .asUtf8String());
            assertEquals(List.of(4, 5), List.of(stored.get("Items").get(0).get("i").asInt(), stored.get("Items").get(1).get("i").asInt()));
        } finally {
            group.close();
        }
    }

    @Test
    void planningIsASpanUnderTheRequestAndEveryBatchRecordCarriesIt(DmapInfra infra) throws Exception {
        Topics topics = freshTopics(infra);
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans =
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
        io.opentelemetry.sdk.OpenTelemetrySdk otel = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans)).build())
                .build();
        PlannerSettings base = settings(infra, topics, "planners-" + UUID.randomUUID());
        PlannerSettings settings = new PlannerSettings(base.kafka(), topics, base.groupId(), base.checkpoints(),
                base.kafkaTimeout(), base.claimCheck(), Long.MAX_VALUE, new RunTracing(otel));
        String id = UUID.randomUUID().toString();
        PlannerGroup group = new PlannerGroup(settings, new S3ItemReaders(infra.s3()), Clock.systemUTC(),
                PlannerGroup.Listener.NONE);
        group.start();
        try {
            // the API's request span, as RunEventPublisher carries it on map-runs
            io.opentelemetry.api.trace.Span post = otel.getTracer("test").spanBuilder("POST /map-runs").startSpan();
            RunEvent event = RunRequested.of(id, null, Instant.now(), null,
                    SpecParser.parse("{\"Input\": [1, 2, 3, 4, 5], \"ItemBatcher\": {\"MaxItemsPerBatch\": 2}, " + PROCESSOR
                            + "}").raw());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.runs(), id, RunEventPublisher.serialize(event));
            try (io.opentelemetry.context.Scope scope = post.makeCurrent()) {
                RunTracing.inject(record.headers());
            } finally {
                post.end();
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(record).get();
            }
            assertEquals(3, awaitPlanned(infra, topics, id).totalBatches());

            io.opentelemetry.sdk.trace.data.SpanData planning = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (planning == null && System.nanoTime() < deadline) {
                planning = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("dmap plan map run"))
                        .findFirst().orElse(null);
                Thread.sleep(50);
            }
            assertNotNull(planning, "a planning span: " + spans.getFinishedSpanItems());
            assertEquals(id, planning.getAttributes().get(RunTracing.MAP_RUN_ID));
            assertEquals(post.getSpanContext().getSpanId(), planning.getParentSpanId(), "a child of the request");
            List<ConsumerRecord<String, byte[]>> batches = TopicReader.readToEnd(infra.bootstrapServers(), topics.batches(),
                    k -> k.startsWith(id + "/"));
            assertEquals(3, batches.size());
            for (ConsumerRecord<String, byte[]> b : batches) {
                org.apache.kafka.common.header.Header h = b.headers().lastHeader("traceparent");
                assertNotNull(h, "batch " + b.key() + " carries the trace context");
                assertEquals("00-" + planning.getTraceId() + "-" + planning.getSpanId() + "-01",
                        new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } finally {
            group.close();
        }
    }

    // ---- helpers ----

    private static void assertExactlyOnce(List<BatchMessage> batches, RunPlanned planned, int items) {
        assertEquals(planned.totalBatches(), batches.size(), "one record per batch");
        Set<Long> indexes = new HashSet<>();
        Set<Integer> seen = new HashSet<>();
        for (BatchMessage batch : batches) {
            assertTrue(indexes.add(batch.batchIndex()), "batch " + batch.batchIndex() + " twice");
            if (batch.readerError() != null) {
                assertTrue(seen.add(batch.input().get("line").asInt() - 1));
                continue;
            }
            JsonNode list = batch.input().get("Items");
            assertEquals(batch.itemCount(), list.size());
            for (int k = 0; k < list.size(); k++) {
                int i = list.get(k).get("i").asInt();
                assertEquals(batch.firstItemIndex() + k, i, "item indexes follow the source");
                assertTrue(seen.add(i), "item " + i + " twice");
            }
        }
        for (long i = 0; i < planned.totalBatches(); i++) {
            assertTrue(indexes.contains(i), "batch " + i + " missing");
        }
        assertEquals(items, seen.size());
    }

    private static Topics freshTopics(DmapInfra infra) {
        Topics topics = Topics.of("pg-" + UUID.randomUUID().toString().substring(0, 8));
        TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), topics, 4, 3, (short) 1);
        return topics;
    }

    private static PlannerSettings settings(DmapInfra infra, Topics topics, String group) {
        return new PlannerSettings(KafkaClientConfig.of(infra.bootstrapServers()), topics, group,
                new CheckpointPolicy(20, Duration.ofMillis(500)), Duration.ofSeconds(30));
    }

    private static String jsonl(String key, String extra) {
        return """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "%s"},
                                "ReaderConfig": {"InputType": "JSONL"}}, %s, %s}
                """.formatted(BUCKET, key, extra, PROCESSOR);
    }

    private static void request(DmapInfra infra, Topics topics, String id, String spec) throws Exception {
        MapRunSpec parsed = SpecParser.parse(spec);
        RunEvent event = RunRequested.of(id, null, Instant.now(), null, parsed.raw());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.runs(), id, RunEventPublisher.serialize(event))).get();
        }
    }

    private static RunPlanned awaitPlanned(DmapInfra infra, Topics topics, String id) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(infra.bootstrapServers(), topics.runs(),
                id::equals, rs -> rs.stream().anyMatch(r -> Json.fromBytes(r.value(), RunEvent.class) instanceof RunPlanned));
        RunPlanned planned = records.stream().map(r -> Json.fromBytes(r.value(), RunEvent.class))
                .filter(e -> e instanceof RunPlanned).map(e -> (RunPlanned) e).findFirst().orElse(null);
        assertNotNull(planned);
        return planned;
    }

    private static long runPlannedCount(DmapInfra infra, Topics topics, String id) {
        return TopicReader.readToEnd(infra.bootstrapServers(), topics.runs(), id::equals).stream()
                .filter(r -> Json.fromBytes(r.value(), RunEvent.class) instanceof RunPlanned).count();
    }

    private static List<BatchMessage> batchesOf(DmapInfra infra, Topics topics, String id) {
        return TopicReader.readToEnd(infra.bootstrapServers(), topics.batches(), k -> k.startsWith(id + "/")).stream()
                .map(r -> Json.fromBytes(r.value(), BatchMessage.class)).toList();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Slows every reader down (1 ms every 10 items) and counts the items read. */
    private static ItemReaderFactory throttled(ItemReaderFactory readers, AtomicLong read) {
        return new ItemReaderFactory() {
            @Override
            public void checkSupported(MapRunSpec spec) {
            }

            @Override
            public ItemReader readerFor(MapRunSpec spec) {
                ItemReader reader = readers.readerFor(spec);
                return new ItemReader() {
                    @Override
                    public ItemStream open() {
                        return open(null);
                    }

                    @Override
                    public ItemStream open(JsonNode position) {
                        ItemStream items = reader.open(position);
                        return new ItemStream() {
                            @Override
                            public boolean hasNext() {
                                return items.hasNext();
                            }

                            @Override
                            public JsonNode next() {
                                if (read.incrementAndGet() % 10 == 0) {
                                    try {
                                        Thread.sleep(1);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                }
                                return items.next();
                            }

                            @Override
                            public JsonNode position() {
                                return items.position();
                            }

                            @Override
                            public void close() {
                                items.close();
                            }
                        };
                    }
                };
            }
        };
    }
}
