package io.dmap.planner.workflow;

import java.time.Instant;
import java.util.List;

/**
 * DescribeExecution of a parent execution. {@code status}: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED,
 * PENDING_REDRIVE. {@code input} and {@code output} are JSON texts (output null unless SUCCEEDED);
 * {@code mapRunIds} the map runs its Distributed Map states started, oldest first (ListMapRuns reads them).
 */
public record ExecutionView(String executionArn, String stateMachineArn, String name, String status,
                            Instant startDate, Instant stopDate, String input, String output,
                            String error, String cause, int redriveCount, Instant redriveDate,
                            String redriveStatus, String redriveStatusReason, List<String> mapRunIds) {
}
