package io.dmap.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The planner's own settings, under {@code planner.*}. */
@ConfigMapping(prefix = "planner")
public interface PlannerConfig {

    /**
     * The consumer group of the planner replicas on map-runs (prefixed with the topic namespace when there is one).
     * Each replica plans the runs requested on the map-runs partitions the group gives it (one thread each).
     */
    @WithDefault("dmap-planners")
    String groupId();

    /**
     * Planning commits a checkpoint (with the batches published so far) after this many new batches... A commit costs
     * a broker round trip whatever its size: few, large transactions plan faster.
     */
    @WithDefault("10000")
    int checkpointEveryBatches();

    /**
     * ...or after this long, whichever comes first. The first checkpoint of a planning comes after 100 ms once 100
     * batches are ready (its batches reach the workers sooner), each later interval doubles up to this one.
     */
    @WithDefault("1s")
    Duration checkpointInterval();

    /** How long {@code POST /map-runs} and {@code POST /map-runs/{id}/abort} wait for Kafka to acknowledge the event. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Page size of {@code GET /map-runs} when {@code maxResults} is not given. */
    @WithDefault("100")
    int defaultPageSize();

    /**
     * How long a POST with a Name waits for the status view to catch up with map-run-status after a start, so
     * that a Name posted before the restart is recognised.
     */
    @WithDefault("10s")
    Duration statusCatchUpTimeout();

    /**
     * Base URL of the aggregator's HTTP API, which answers {@code GET /map-runs/{id}/executions} from its execution
     * store (any instance: it forwards to the one that holds the run).
     */
    @WithDefault("http://localhost:8083")
    String aggregatorUrl();

    ClaimCheckConfig claimCheck();

    Limits limits();

    /** What one caller may ask of the planner; past a limit the request is refused with AWS's error name. */
    interface Limits {
        /** Largest POST / PATCH body of the API (AWS: 1 MB per request and per definition). */
        @WithDefault("1048576")
        int maxRequestBytes();

        /**
         * Most items one map run may have: a larger MaxItems is refused at POST, and planning fails a run whose source
         * holds more (States.ItemReaderFailed) rather than cutting it short. AWS's MaxItems upper limit is 100,000,000.
         */
        @WithDefault("100000000")
        long maxItemsPerRun();

        /**
         * Most map runs open (RUNNING) at once; a POST past it is refused with ExecutionLimitExceeded. AWS's quota is
         * 1,000 open map runs (it queues the ones above; dmap refuses them, so the caller decides when to retry).
         */
        @WithDefault("1000")
        int maxOpenRuns();
    }

    /** Parent executions of whole state machines (the AWS-compatible API; docs/workflows.md). */
    Workflows workflows();

    interface Workflows {
        /**
         * The consumer group of the planner replicas on {@code executions} (prefixed with the topic namespace): each
         * replica drives the parent executions of the partitions the group gives it.
         */
        @WithDefault("dmap-workflows")
        String groupId();

        /** Threads that run parent executions' states; only a Task's call holds one while it lasts. */
        @WithDefault("8")
        int threads();

        /** Extra threads for the Parallel branches and inline Map iterations of parent executions. */
        @WithDefault("16")
        int inlineThreads();

        /** Function name (as in FunctionName, or its ARN) to the HTTP URL that runs it, for Task states of parents. */
        java.util.Map<String, String> lambdaFunctions();

        /** Hosts http:invoke and lambda:invoke Tasks of parents may reach ({@code *.example.com}); absent: any. */
        java.util.Optional<java.util.List<String>> allowedHosts();

        /** 127.0.0.0/8, ::1: only for a local cluster or tests. */
        @WithDefault("false")
        boolean allowLoopback();

        /** 169.254.0.0/16, fe80::/10 and the cloud metadata addresses. */
        @WithDefault("false")
        boolean allowLinkLocal();

        /** How long one http:invoke request of a parent's Task may take (AWS: 60 s). */
        @WithDefault("60s")
        Duration httpRequestTimeout();
    }

    /** Claim check: a batch bigger than a Kafka message travels through S3 by reference. */
    interface ClaimCheckConfig {
        /** Bucket for the inputs of batches too big for a Kafka message; absent: such a batch fails its run. */
        java.util.Optional<String> bucket();

        @WithDefault("dmap-claim-checks/")
        String prefix();

        /** A serialized batch above this many bytes goes by reference (the broker's default limit is 1 MiB). */
        @WithDefault("900000")
        int maxMessageBytes();
    }
}
