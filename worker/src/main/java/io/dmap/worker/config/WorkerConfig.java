package io.dmap.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The worker's own settings (prefix {@code worker}). */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    /** Consumer group of all worker replicas on map-batches. */
    @WithDefault("dmap-workers")
    String groupId();

    /** This worker's name in outcomes (default: the host name). */
    Optional<String> name();

    /** Whether the lanes start with the application (tests of other parts may turn them off). */
    @WithDefault("true")
    boolean enabled();

    /** How long one poll of map-batches blocks; also how quickly a finished batch is committed. */
    @WithDefault("200ms")
    Duration pollTimeout();

    /** Limits on this worker's lanes. */
    Lanes lanes();

    interface Lanes {
        /**
         * How many of this worker's lanes may run a batch at the same time; 0 = as many as it has partitions.
         * Set it to what one worker can afford (CPU, memory, downstream connections): more workers then raise
         * the throughput, up to the partition count.
         */
        @WithDefault("0")
        int max();
    }

    /**
     * Extra threads this worker lends to Parallel branches and inline Map iterations inside its child executions,
     * shared by all lanes (the executing thread always works too, so a child never waits for one).
     */
    @WithDefault("64")
    int inlineConcurrency();

    /**
     * Records fetched per poll; a lane holding this many batches not yet run stops fetching until half of them have
     * run (so it holds at most about twice this many, and never runs dry while its partition has batches).
     */
    @WithDefault("500")
    int maxPollRecords();

    /**
     * On shutdown or partition revocation, how long a running batch may take to finish before it is interrupted (and
     * left for redelivery). Keep it below Kubernetes' termination grace period (30 s by default).
     */
    @WithDefault("20s")
    Duration drainTimeout();

    /**
     * ExecutionStarted is reported only for a child execution still running after this long (0: always, at once). The
     * aggregator needs it only to show the execution as running; an ExecutionFinished alone counts the same, so quick
     * children cost one outcome instead of two.
     */
    @WithDefault("100ms")
    Duration startedReportDelay();

    /**
     * How many children may go on at once after their Wait (the others queue, parked); a bound on the memory of a
     * worker whose many children's Waits end together.
     */
    @WithDefault("32")
    int resumedAtOnce();

    /** How often a running batch checks whether its run has stopped (then it is aborted). */
    @WithDefault("1s")
    Duration abortCheckInterval();

    /** How often the group's lag on map-batches is looked up (metric dmap.worker.consumer.lag, readiness). */
    @WithDefault("5s")
    Duration lagInterval();

    Lambda lambda();

    Http http();

    Outbound outbound();

    /** Where http:invoke and lambda:invoke calls may go (OutboundGuard; docs/deployment-security.md). */
    interface Outbound {
        /** Host names or addresses ({@code *.example.com} for subdomains) calls may reach; absent: any host. */
        Optional<List<String>> allowedHosts();

        /** 127.0.0.0/8, ::1, 0.0.0.0: only for a local cluster (./dmap up) or tests. */
        @WithDefault("false")
        boolean allowLoopback();

        /** 169.254.0.0/16, fe80::/10 and the cloud metadata addresses: off unless a task really needs one. */
        @WithDefault("false")
        boolean allowLinkLocal();
    }

    ClaimCheck claimCheck();

    /** Outputs too big for a Kafka message travel through S3 by reference. */
    interface ClaimCheck {
        /** Bucket for large outputs; absent: an execution whose outcome is too big fails with States.DataLimitExceeded. */
        Optional<String> bucket();

        /** A serialized ExecutionFinished above this many bytes carries its output by reference (the producer's limit is 1 MiB). */
        @WithDefault("524288")
        int thresholdBytes();
    }

    interface Lambda {
        /** Function name (as in FunctionName, or its ARN) to the HTTP URL that runs it. */
        Map<String, String> functions();
    }

    interface Http {
        /** Connect timeout of Task HTTP calls (http:invoke, lambda:invoke). */
        @WithDefault("10s")
        Duration connectTimeout();

        /** How long one http:invoke request may take; past it the task fails with States.Timeout (AWS: 60 s). */
        @WithDefault("60s")
        Duration requestTimeout();
    }
}
