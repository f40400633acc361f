package io.dmap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.topics.Topics;
import io.dmap.cli.PlannerApi;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Scenario 7, the aggregator alone (formerly {@code Aggregate1M} of the aggregator's tests): a run of N items in batches
 * of B is posted to a planner whose cluster has no workers; once it is planned, this harness publishes one
 * ExecutionFinished per batch straight to {@code map-outcomes}, as the workers would (every 100th batch fails, within
 * ToleratedFailurePercentage 5), and follows {@code map-run-status} until DONE.
 */
final class TallyFeed {

    /** What one run gave: seconds to feed, to account for every batch (from the first send), to write the files. */
    record Result(String mapRunId, long batches, long failedBatches, double feedSeconds, double tallySeconds, double writeSeconds,
                  MapRunStatus done) {
    }

    private TallyFeed() {
    }

    /** Posts {@code spec} (a run of {@code items} items in batches of {@code perBatch}), waits until it is planned, feeds it. */
    static Result run(PlannerApi planner, String bootstrap, Topics topics, String spec, long items, int perBatch)
            throws Exception {
        long batches = (items + perBatch - 1) / perBatch;
        try (KafkaConsumer<String, MapRunStatus> status = statusReader(bootstrap, topics.status())) {
            String id = planned(planner, spec);
            // positioned before the run started; from here on only the follower's thread uses it
            CompletableFuture<Timeline> following = CompletableFuture.supplyAsync(() -> follow(status, id));
            Instant start = Instant.now();
            long failed = feed(bootstrap, topics, id, items, perBatch, batches);
            double fed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            Timeline t = following.get();
            return new Result(id, batches, failed, fed, Duration.between(start, t.accounted).toMillis() / 1000.0,
                    Duration.between(t.accounted, t.done).toMillis() / 1000.0, t.status);
        }
    }

    /** The run's id once the planner has planned it (its phase is past PLANNING). */
    private static String planned(PlannerApi planner, String spec) throws Exception {
        PlannerApi.Answer created = planner.post("/map-runs", spec);
        if (created.status() >= 300) {
            throw new IllegalStateException("the planner refused the spec (" + created.status() + "): " + created.body());
        }
        String id = created.body().path("mapRunId").asText();
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
        while (System.currentTimeMillis() < deadline) {
            JsonNode run = planner.get("/map-runs/" + id).body();
            if (!RunPhase.PLANNING.name().equals(run.path("phase").asText(RunPhase.PLANNING.name()))) {
                return id;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("map run " + id + " was not planned within 5 minutes");
    }

    /** Publishes an outcome per batch, as the workers would; returns the number of failed batches. */
    private static long feed(String bootstrap, Topics topics, String id, long items, int perBatch, long batches)
            throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"); // as the workers send outcomes
        long failed = 0;
        try (KafkaProducer<String, OutcomeEvent> outcomes = new KafkaProducer<>(config, new StringSerializer(),
                JsonSerde.of(OutcomeEvent.class))) {
            for (long b = 0; b < batches; b++) {
                int n = (int) Math.min(perBatch, items - b * perBatch);
                ArrayNode list = Json.NODES.arrayNode();
                for (int i = 0; i < n; i++) {
                    long item = b * perBatch + i;
                    list.addObject().put("id", item).put("key", "items/" + item + ".json");
                }
                BatchMessage batch = BatchMessage.of(id, b, b * perBatch, n, Json.NODES.objectNode().set("Items", list),
                        null);
                Instant now = Instant.now();
                OutcomeEvent end;
                if (b % 100 == 99) {
                    failed++;
                    end = ExecutionFinished.failed(batch, ExecutionStatus.FAILED, "States.TaskFailed", "bench failure",
                            now, now, "bench");
                } else {
                    end = ExecutionFinished.succeeded(batch, list, now, now, "bench");
                }
                outcomes.send(new ProducerRecord<>(topics.outcomes(), id, end));
            }
            outcomes.flush();
        }
        return failed;
    }

    private record Timeline(Instant accounted, Instant done, MapRunStatus status) {
    }

    /** A reader of the status topic from its end (the run is new). */
    private static KafkaConsumer<String, MapRunStatus> statusReader(String bootstrap, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        KafkaConsumer<String, MapRunStatus> c = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(MapRunStatus.class));
        List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position);
        return c;
    }

    /** Follows the run's snapshots (wall-clock times as seen here: snapshots carry event times) until it is DONE. */
    private static Timeline follow(KafkaConsumer<String, MapRunStatus> c, String id) {
        Instant accounted = null;
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(15).toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, MapRunStatus> r : c.poll(Duration.ofMillis(50))) {
                if (!id.equals(r.key()) || r.value() == null) {
                    continue;
                }
                MapRunStatus s = r.value();
                if (accounted == null && s.phase() != RunPhase.RUNNING && s.phase() != RunPhase.PLANNING) {
                    accounted = Instant.now();
                }
                if (s.phase() == RunPhase.DONE) {
                    return new Timeline(accounted, Instant.now(), s);
                }
            }
        }
        throw new IllegalStateException("map run " + id + " did not finish within 15 minutes");
    }
}
