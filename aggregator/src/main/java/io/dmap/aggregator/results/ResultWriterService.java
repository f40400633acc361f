package io.dmap.aggregator.results;

import io.dmap.service.logging.RunLogContext;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.tally.RunState;
import io.dmap.aggregator.topology.RunStores;
import io.dmap.common.events.ResultsWritten;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunPhase;
import io.dmap.common.spec.Arns;
import io.dmap.service.BucketGuard;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Writes the result files of a run whose batches are all accounted for, reading its records from the
 * aggregator's stores, and says how it went as a {@link ResultsWritten} event. Runs off the stream thread.
 */
public final class ResultWriterService {

    private static final Logger LOG = Logger.getLogger(ResultWriterService.class);
    /** A run missing from a queryable store this many times in a row is not this instance's to write. */
    private static final int MISSING_RUN_ATTEMPTS = 30;

    private final RunStores stores;
    private final ResultWriter writer;
    private final Duration retry;
    private final Clock clock;
    private final BucketGuard buckets;

    public ResultWriterService(RunStores stores, ResultWriter writer, Duration retry, Clock clock) {
        this(stores, writer, retry, clock, BucketGuard.ANY);
    }

    /** @param buckets the ResultWriter's bucket must be allowed like the ItemReader's and the tasks' */
    public ResultWriterService(RunStores stores, ResultWriter writer, Duration retry, Clock clock, BucketGuard buckets) {
        this.stores = stores;
        this.writer = writer;
        this.retry = retry;
        this.clock = clock;
        this.buckets = buckets;
    }

    /**
     * @param active false once the service is stopping: then gives up waiting for the stores
     * @return the event to publish, or empty when there is nothing (more) to do for this run
     */
    public Optional<ResultsWritten> writeResults(String mapRunId, BooleanSupplier active) throws InterruptedException {
        try (RunLogContext log = RunLogContext.run(mapRunId)) {
            return writeResultsInContext(mapRunId, active);
        }
    }

    private Optional<ResultsWritten> writeResultsInContext(String mapRunId, BooleanSupplier active)
            throws InterruptedException {
        int missing = 0;
        while (active.getAsBoolean()) {
            try {
                RunState run = stores.run(mapRunId);
                if (run == null) {
                    if (stores.running() && ++missing >= MISSING_RUN_ATTEMPTS) {
                        LOG.warn("not in this instance's state, results not written here");
                        return Optional.empty();
                    }
                } else if (run.phase() != RunPhase.WRITING_RESULTS) {
                    LOG.debugf("phase %s, nothing to write", run.phase());
                    return Optional.empty();
                } else {
                    return Optional.of(write(run));
                }
            } catch (InvalidStateStoreException e) {
                LOG.debug("stores not queryable yet, retrying", e);
            }
            Thread.sleep(retry.toMillis());
        }
        return Optional.empty();
    }

    private ResultsWritten write(RunState run) {
        String id = run.mapRunId();
        RunConfig.ResultWriterConfig config = run.config().resultWriter();
        if (config == null) {
            return ResultsWritten.ok(id, null, null, 0, clock.instant());
        }
        String location = "s3://" + config.bucket() + "/" + ResultWriter.keyPrefix(config.prefix(), id);
        if (!buckets.allows(config.bucket())) {
            String refusal = buckets.refusal("ResultWriter", config.bucket());
            LOG.warn(refusal);
            return failed(id, location, refusal);
        }
        try (KeyValueIterator<String, ExecutionRecord> records = stores.executions(id)) {
            ResultWriter.Written w = writer.write(id, config, Arns.mapRunOf(run.config(), id), values(records),
                    run.redriveCount() > 0);
            LOG.infof("results written to %s (%d items)", location, w.itemsWritten());
            return ResultsWritten.ok(id, w.bucket(), w.manifestKey(), w.itemsWritten(), clock.instant());
        } catch (AwsServiceException e) {
            LOG.warnf(e, "cannot write results to %s", location);
            String reason = e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
            return failed(id, location, reason);
        } catch (SdkException | IOException | IllegalArgumentException e) { // IllegalArgument: unknown WriterConfig value
            LOG.warnf(e, "cannot write results to %s", location);
            return failed(id, location, e.getMessage());
        }
    }

    private ResultsWritten failed(String id, String location, String reason) {
        return ResultsWritten.failed(id, RunState.RESULT_WRITER_ERROR,
                "Could not write the result files to " + location + ": " + reason, clock.instant());
    }

    private static Iterator<ExecutionRecord> values(KeyValueIterator<String, ExecutionRecord> records) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public ExecutionRecord next() {
                KeyValue<String, ExecutionRecord> kv = records.next();
                return kv.value;
            }
        };
    }
}
