package io.dmap.worker.messaging;

import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code worker.lag-interval}: the workers' group lag on {@code map-batches} (batches published but not yet
 * committed, summed over partitions; what an autoscaler scales on) and whether the worker's topics exist (readiness).
 * One Admin lookup per interval: the group's offsets, the latest offset of every partition, and the earliest only of
 * the partitions where the group has committed nothing (with thousands of partitions, all committed once a run has
 * touched them, that request is mostly left out).
 */
@ApplicationScoped
public class GroupLag {

    private static final Logger LOG = Logger.getLogger(GroupLag.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final KafkaSettings kafka;
    private final WorkerConfig config;
    private volatile long lag = -1;
    private volatile boolean topicsExist;
    private Admin admin;
    private ScheduledExecutorService timer;

    public GroupLag(KafkaSettings kafka, WorkerConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    public void start() {
        admin = Admin.create(kafka.clients().admin(Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, "dmap-worker-lag-" + kafka.workerName())));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dmap-group-lag");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, config.lagInterval().toMillis());
        timer.scheduleWithFixedDelay(this::refresh, 0, ms, TimeUnit.MILLISECONDS);
    }

    /** Batches not yet committed by the group, over all partitions of map-batches; -1 until known. */
    public long lag() {
        return lag;
    }

    /** map-batches and map-run-status existed at the last lookup. */
    public boolean topicsExist() {
        return topicsExist;
    }

    void refresh() {
        try {
            String batches = kafka.topics().batches();
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(batches, kafka.topics().status()))
                    .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            topicsExist = true;
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.groupId())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>(); // only where the group has committed nothing
            topics.get(batches).partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(batches, p.partition());
                latest.put(tp, OffsetSpec.latest());
                if (committed.get(tp) == null) {
                    earliest.put(tp, OffsetSpec.earliest());
                }
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = earliest.isEmpty() ? Map.of()
                    : admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long sum = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long from = c != null ? c.offset() : starts.get(e.getKey()).offset();
                sum += Math.max(0, e.getValue().offset() - from);
            }
            lag = sum;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                topicsExist = false;
            }
            LOG.debugf(e, "cannot look up the lag of group %s now", config.groupId());
        }
    }

    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
