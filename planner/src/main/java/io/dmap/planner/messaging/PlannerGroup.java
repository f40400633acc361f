package io.dmap.planner.messaging;

import io.dmap.planner.planning.ItemReaderFactory;
import io.dmap.planner.planning.PlanResult;
import io.dmap.service.kafka.TopicCreator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The planning side of a planner: a member of the planners' consumer group on {@code map-runs}. Each planner
 * replica plans the runs requested on the map-runs partitions the group gives it, one {@link PartitionPlanner}
 * (thread + transactional producer) per partition; when a partition moves to another replica, its planner stops
 * and the new owner resumes the unfinished run from its last committed checkpoint.
 */
public final class PlannerGroup implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PlannerGroup.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    /** Hears the result of each run planned here (for metrics). */
    public interface Listener {
        Listener NONE = (mapRunId, result) -> {
        };

        void planned(String mapRunId, PlanResult result);
    }

    private final PlannerSettings settings;
    private final ItemReaderFactory readers;
    private final Clock clock;
    private final Listener listener;
    private final Map<TopicPartition, PartitionPlanner> planners = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean halted;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public PlannerGroup(PlannerSettings settings, ItemReaderFactory readers, Clock clock, Listener listener) {
        this.settings = settings;
        this.readers = readers;
        this.clock = clock;
        this.listener = listener;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "dmap-planner-group");
        thread.setDaemon(true);
        thread.start();
    }

    /** Map-runs partitions this replica plans now. */
    public int ownedPartitions() {
        return planners.size();
    }

    private void run() {
        int batchPartitions;
        int checkpointPartitions;
        try (Admin admin = Admin.create(settings.kafka().admin(Map.of()))) {
            batchPartitions = TopicCreator.partitionCount(admin, settings.topics().batches());
            checkpointPartitions = TopicCreator.partitionCount(admin, settings.topics().checkpoints());
        } catch (Exception e) {
            LOG.errorf(e, "planner group %s cannot describe its topics; planning is off", settings.groupId());
            return;
        }
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings.kafka().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.CLIENT_ID_CONFIG, "dmap-planner-group")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(settings.topics().runs()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    stopPlanners(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    stopPlanners(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition p : partitions) {
                        TopicPartition checkpoints = new TopicPartition(settings.topics().checkpoints(),
                                p.partition() % checkpointPartitions);
                        PartitionPlanner planner = new PartitionPlanner(settings, p, checkpoints, batchPartitions, readers,
                                clock, listener);
                        planners.put(p, planner);
                        planner.start();
                    }
                    if (!partitions.isEmpty()) {
                        LOG.infof("planner group %s: now planning %s", settings.groupId(), planners.keySet());
                    }
                }
            });
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                        PartitionPlanner planner = planners.get(new TopicPartition(record.topic(), record.partition()));
                        if (planner != null) {
                            planner.offer(record);
                        }
                    }
                } catch (WakeupException e) {
                    // close() or halt() woke us
                } catch (RuntimeException e) {
                    LOG.errorf(e, "planner group %s failed to poll; retrying", settings.groupId());
                    sleep();
                }
            }
            if (!halted) {
                stopPlanners(List.copyOf(planners.keySet()));
            }
        } finally {
            consumer = null;
        }
    }

    private void stopPlanners(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            PartitionPlanner planner = planners.remove(p);
            if (planner != null) {
                planner.stop(STOP_WAIT);
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Leaves the group: each partition's planner stops (aborting its open transaction) and the others take over. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Dies as a crashed process would: the partition planners stop where they are without committing or aborting
     * anything, and the producers are dropped. For tests of recovery.
     */
    public void halt() {
        halted = true;
        for (PartitionPlanner planner : planners.values()) {
            planner.halt(STOP_WAIT);
        }
        planners.clear();
        shutdown();
    }

    private void shutdown() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(STOP_WAIT.toMillis() + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
