package io.dmap.aggregator.messaging;

import io.dmap.aggregator.config.AggregatorConfig;
import io.dmap.service.BucketGuard;
import io.dmap.service.DmapConfig;
import io.dmap.aggregator.results.ResultWriter;
import io.dmap.aggregator.results.ResultWriterService;
import io.dmap.aggregator.topology.RunStores;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.ResultsWritten;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.json.JsonSerde;
import io.dmap.service.kafka.KafkaClientConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * map-run-status → (snapshots in phase WRITING_RESULTS) → result files in S3 → ResultsWritten on map-runs.
 * A plain consumer on its own thread, so S3 never blocks the stream thread. The offset is committed only
 * after ResultsWritten is published: a crash in between rewrites the same files, which is harmless.
 */
@ApplicationScoped
public class ResultWriterLoop {

    private static final Logger LOG = Logger.getLogger(ResultWriterLoop.class);

    private final DmapConfig dmap;
    private final AggregatorConfig config;
    private final KafkaClientConfig kafka;
    private final KafkaStreams streams;
    private final S3Client s3;

    private volatile boolean active;
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, MapRunStatus> consumer;
    private Thread thread;

    public ResultWriterLoop(DmapConfig dmap, AggregatorConfig config, KafkaStreams streams, S3Client s3,
                            KafkaClientConfig kafka) {
        this.dmap = dmap;
        this.config = config;
        this.streams = streams;
        this.s3 = s3;
        this.kafka = kafka;
    }

    void start(@Observes StartupEvent event) {
        active = true;
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), JsonSerde.of(MapRunStatus.class));
        thread = new Thread(this::run, "dmap-result-writer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        active = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    private void run() {
        String statusTopic = dmap.topics().names().status();
        String runsTopic = dmap.topics().names().runs();
        Path tempDir = config.results().tempDir().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        ResultWriterService service = new ResultWriterService(new RunStores(streams),
                new ResultWriter(s3, config.results().maxFileBytes(), tempDir), config.results().storeRetry(),
                Clock.systemUTC(), BucketGuard.of(dmap));
        try (KafkaConsumer<String, MapRunStatus> c = consumer;
             KafkaProducer<String, RunEvent> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                     JsonSerde.of(RunEvent.class))) {
            StatusPartitions partitions = followStreams(c, runsTopic, statusTopic)
                    ? new StatusPartitions(streams, runsTopic, statusTopic) : null;
            while (active) {
                if (partitions != null && !followAssignment(c, partitions)) {
                    Thread.sleep(config.results().storeRetry().toMillis());
                    continue;
                }
                List<ConsumerRecord<String, MapRunStatus>> records = poll(c);
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                Set<TopicPartition> leftAlone = new HashSet<>();
                boolean failed = false;
                for (ConsumerRecord<String, MapRunStatus> record : records) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (leftAlone.contains(tp)) {
                        continue;
                    }
                    try {
                        if (handle(record, tp, service, producer, runsTopic, partitions)) {
                            done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                        } else {
                            rewind(c, tp, record.offset()); // moved to another instance (or stopping)
                            leftAlone.add(tp);
                        }
                    } catch (ExecutionException | KafkaException e) {
                        if (e instanceof WakeupException w) {
                            throw w;
                        }
                        LOG.errorf(e, "map run %s: publishing the result failed, will retry", record.key());
                        rewind(c, tp, record.offset());
                        leftAlone.add(tp);
                        failed = true;
                    }
                }
                if (active && !done.isEmpty()) {
                    // snapshots of other phases: nothing to redo if this commit is lost (e.g. at shutdown)
                    c.commitAsync(done, (offsets, e) -> {
                        if (e != null) {
                            LOG.debugf(e, "offsets %s not committed; they are committed with a later batch", offsets);
                        }
                    });
                }
                if (failed) {
                    Thread.sleep(config.results().storeRetry().toMillis());
                }
            }
        } catch (WakeupException e) {
            if (active) {
                LOG.error("result writer woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("result writer stopped", e);
        }
        stopped = true;
    }

    /**
     * Follows the stream tasks' partitions when map-runs and map-run-status have the same partition count;
     * otherwise subscribes to all of map-run-status, which is only right with a single aggregator instance.
     */
    private static boolean followStreams(KafkaConsumer<String, MapRunStatus> c, String runsTopic, String statusTopic) {
        int runs = c.partitionsFor(runsTopic).size();
        int status = c.partitionsFor(statusTopic).size();
        if (runs == status) {
            return true;
        }
        LOG.warnf("%s has %d partitions, %s %d: the result writer reads all of %s (run ONE aggregator instance)",
                runsTopic, runs, statusTopic, status, statusTopic);
        c.subscribe(List.of(statusTopic));
        return false;
    }

    /** Assigns the status partitions of the local stream tasks; false while there are none (yet). */
    private static boolean followAssignment(KafkaConsumer<String, MapRunStatus> c, StatusPartitions partitions) {
        Set<TopicPartition> owned = partitions.owned();
        if (owned != null && !owned.equals(c.assignment())) {
            LOG.infof("result writer follows the stream tasks: %s", owned);
            c.assign(owned);
        }
        return !c.assignment().isEmpty();
    }

    /** Sets the partition back to the record not handled, so that the next poll returns it again. */
    private static void rewind(KafkaConsumer<String, MapRunStatus> c, TopicPartition tp, long offset) {
        try {
            c.seek(tp, offset);
        } catch (IllegalStateException e) {
            LOG.debugf("partition %s is no longer assigned; its next owner resumes from the committed offset", tp);
        }
    }

    /** False once the writer's thread has ended: nothing will be written any more (liveness). */
    public boolean alive() {
        return !stopped;
    }

    /** @return true when the record is dealt with (its offset may be committed) */
    private boolean handle(ConsumerRecord<String, MapRunStatus> record, TopicPartition tp, ResultWriterService service,
                           KafkaProducer<String, RunEvent> producer, String runsTopic, StatusPartitions partitions)
            throws InterruptedException, ExecutionException {
        MapRunStatus status = record.value();
        if (status == null || status.phase() != RunPhase.WRITING_RESULTS) {
            return true;
        }
        BooleanSupplier mine = () -> active && (partitions == null || partitions.stillOwned(tp));
        Optional<ResultsWritten> written = service.writeResults(status.mapRunId(), mine);
        if (written.isPresent()) {
            producer.send(new ProducerRecord<>(runsTopic, status.mapRunId(), written.get())).get();
        } else if (!mine.getAsBoolean()) {
            return false;
        }
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(record.offset() + 1)));
        return true;
    }

    private static List<ConsumerRecord<String, MapRunStatus>> poll(KafkaConsumer<String, MapRunStatus> c) {
        try {
            List<ConsumerRecord<String, MapRunStatus>> records = new ArrayList<>();
            c.poll(Duration.ofSeconds(1)).forEach(records::add);
            return records;
        } catch (RecordDeserializationException e) {
            LOG.errorf(e, "unreadable status snapshot at %s offset %d skipped", e.topicPartition(), e.offset());
            c.seek(e.topicPartition(), e.offset() + 1);
            return List.of();
        }
    }

    private Map<String, Object> consumerConfig() {
        return kafka.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.results().groupId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) config.results().maxWriteTime().toMillis()));
    }

    private Map<String, Object> producerConfig() {
        return kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
    }
}
