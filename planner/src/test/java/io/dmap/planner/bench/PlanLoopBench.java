package io.dmap.planner.bench;

import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.SpecParser;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;
import io.dmap.planner.messaging.ClaimCheck;
import io.dmap.planner.planning.BatchPlanner;
import io.dmap.planner.planning.CheckpointPolicy;
import io.dmap.planner.planning.PlanResult;
import io.dmap.planner.planning.PlanSink;
import io.dmap.planner.s3.S3ItemReaders;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The planning loop alone (not a test): plans an N-line JSONL object held in memory through the real
 * {@link S3ItemReaders} JSONL reader and {@link BatchPlanner} into a sink that serializes every batch as the Kafka
 * sink does ({@link BatchMessage#withoutProcessor()}, {@link ClaimCheck#serialize}) but sends nothing, and prints
 * items/s and batches/s: (a) with an ItemBatcher of 100 items, (b) one item per batch (no ItemBatcher). No broker, no
 * S3 server: what it measures is the planner's own cost per item and per batch.
 *
 * <p>Arguments: {@code [items for (a), default 2,000,000] [items for (b), default 200,000] [rounds, default 5]};
 * each figure is the best round (the first rounds warm the JIT up); the rates per CPU second of the planning thread
 * vary less than wall-clock rates on a machine others are using. Profile it with
 * {@code -XX:StartFlightRecording=filename=plan.jfr,settings=profile}.
 */
public final class PlanLoopBench {

    private static final String PROCESSOR = """
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PlanLoopBench() {
    }

    public static void main(String[] args) {
        int batched = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int single = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        run("(a) MaxItemsPerBatch 100", batched, ", \"ItemBatcher\": {\"MaxItemsPerBatch\": 100}", rounds);
        run("(b) one item per batch", single, "", rounds);
    }

    private static void run(String name, int items, String batcher, int rounds) {
        byte[] body = jsonl(items);
        MapRunSpec spec = SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "items.jsonl"},
                                "ReaderConfig": {"InputType": "JSONL"}}%s, %s}
                """.formatted(batcher, PROCESSOR));
        S3ItemReaders readers = new S3ItemReaders(new MemoryObject(body));
        double bestItems = 0;
        double bestBatches = 0;
        double bestCpu = Double.MAX_VALUE;
        for (int round = 1; round <= rounds; round++) {
            SerializingSink sink = new SerializingSink();
            // the service's checkpoint policy shape: a checkpoint every 10,000 batches or second
            BatchPlanner planner = new BatchPlanner(sink, Clock.systemUTC(),
                    new CheckpointPolicy(10_000, Duration.ofSeconds(1)));
            long start = System.nanoTime();
            long startCpu = THREADS.getCurrentThreadCpuTime();
            PlanResult result = planner.plan("bench-run-" + round, spec, readers.readerFor(spec), 64);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - startCpu) / 1e9;
            if (result.error() != null || result.items() != items) {
                throw new IllegalStateException("planning failed: " + result);
            }
            double itemRate = items / seconds;
            double batchRate = result.batches() / seconds;
            System.out.printf("%s round %d: %,d items, %,d batches, %,d bytes serialized in %.3f s (%.3f s of CPU): "
                    + "%,.0f items/s, %,.0f batches/s%n", name, round, items, result.batches(), sink.bytes, seconds,
                    cpuSeconds, itemRate, batchRate);
            bestItems = Math.max(bestItems, itemRate);
            bestBatches = Math.max(bestBatches, batchRate);
            bestCpu = Math.min(bestCpu, cpuSeconds);
        }
        System.out.printf("%s best: %,.0f items/s, %,.0f batches/s; per CPU second (a shared machine's fairer figure): "
                + "%,.0f items, %,.0f batches%n", name, bestItems, bestBatches, items / bestCpu,
                (batcher.isEmpty() ? items : items / 100.0) / bestCpu);
    }

    /** Plan10M's rows: {@code {"id":i,"key":"items/i.json"}}. */
    private static byte[] jsonl(int items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items * 40);
        for (int i = 0; i < items; i++) {
            out.writeBytes(("{\"id\":" + i + ",\"key\":\"items/" + i + ".json\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** What TransactionalPlanSink does to a batch before {@code producer.send}, and nothing after. */
    private static final class SerializingSink implements PlanSink {
        private final ClaimCheck claimCheck = ClaimCheck.none();
        long bytes;

        @Override
        public void batch(BatchMessage batch, int partition) {
            BatchMessage sent = batch.processor() != null ? batch.withoutProcessor() : batch;
            bytes += claimCheck.serialize(sent).length + sent.key().length();
        }

        @Override
        public void flush() {
        }

        @Override
        public void planned(RunPlanned planned) {
        }

        @Override
        public void failed(PlanningFailed failed) {
        }
    }

    /** One object held in memory, served by getObject (ranges included) as S3 would. */
    private record MemoryObject(byte[] body) implements S3Client {

        @Override
        public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
            int from = request.range() == null ? 0
                    : Integer.parseInt(request.range().substring("bytes=".length(), request.range().indexOf('-')));
            return new ResponseInputStream<>(GetObjectResponse.builder().contentLength((long) body.length - from)
                    .eTag("\"bench\"").build(),
                    AbortableInputStream.create(new ByteArrayInputStream(body, from, body.length - from)));
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }
}
