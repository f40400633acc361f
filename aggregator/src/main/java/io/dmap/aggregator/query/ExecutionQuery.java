package io.dmap.aggregator.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ListExecutions for a map run, over the run's execution records in batch order: a status filter, a page of at most
 * {@code maxResults}, and a token naming the last batch of the page. The statuses are AWS's execution statuses: a
 * record still STARTED is RUNNING, one that a redrive published again and that has not restarted is PENDING_REDRIVE;
 * NOT_STARTED (skipped because the run had ended first) is dmap's own.
 */
public final class ExecutionQuery {

    private ExecutionQuery() {
    }

    /** The AWS status of a record. */
    public static ChildExecutionStatus status(ExecutionRecord r) {
        return r.terminal() ? ChildExecutionStatus.of(r.executionStatus()) : ChildExecutionStatus.of(r.phase());
    }

    /**
     * One page: the records after {@code afterBatch} (exclusive; -1 for the first page) whose status is
     * {@code statusFilter} (null: all), and a next token when more may follow.
     */
    public static ObjectNode page(Iterator<ExecutionRecord> records, String mapRunArn,
                                  ChildExecutionStatus statusFilter,
                                  long afterBatch, int maxResults) {
        ObjectNode body = Json.NODES.objectNode();
        ArrayNode executions = body.putArray("executions");
        long last = -1;
        boolean more = false;
        while (records.hasNext()) {
            ExecutionRecord r = records.next();
            if (r == null || r.batchIndex() <= afterBatch || statusFilter != null && statusFilter != status(r)) {
                continue;
            }
            if (executions.size() == maxResults) {
                more = true;
                break;
            }
            executions.add(view(r, mapRunArn));
            last = r.batchIndex();
        }
        if (more) {
            body.put("nextToken", encode(last));
        }
        return body;
    }

    /** DescribeExecution-like view of one child execution (ListExecutions' fields plus error, cause, input, output). */
    public static ObjectNode view(ExecutionRecord r, String mapRunArn) {
        ObjectNode e = Json.NODES.objectNode();
        e.put("executionArn", Arns.childExecution(mapRunArn, r.mapRunId(), r.batchIndex()));
        e.put("mapRunArn", mapRunArn);
        e.put("name", Arns.executionName(r.mapRunId(), r.batchIndex()));
        e.put("batchIndex", r.batchIndex());
        e.put("status", status(r).name());
        e.put("itemCount", r.itemCount());
        e.put("startDate", r.startDate() == null ? null : r.startDate().toString());
        e.put("stopDate", r.stopDate() == null ? null : r.stopDate().toString());
        e.put("redriveCount", r.redriveCount());
        e.put("error", r.error());
        e.put("cause", r.cause());
        e.set("input", r.input());
        e.set("output", r.output());
        if (r.inputRef() != null) {
            e.set("inputRef", Json.MAPPER.valueToTree(r.inputRef()));
        }
        if (r.outputRef() != null) {
            e.set("outputRef", Json.MAPPER.valueToTree(r.outputRef()));
        }
        return e;
    }

    /**
     * The run's failed, timed-out and aborted executions grouped by Error, most frequent first: executions and items
     * per Error, and the cause of the first one (an example).
     */
    public static ObjectNode failures(Iterator<ExecutionRecord> records) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, String> causes = new LinkedHashMap<>();
        long total = 0;
        while (records.hasNext()) {
            ExecutionRecord r = records.next();
            if (r == null || !status(r).failure()) {
                continue;
            }
            String error = r.error() == null ? r.status() : r.error();
            long[] c = counts.computeIfAbsent(error, k -> new long[2]);
            c[0]++;
            c[1] += r.itemCount();
            causes.putIfAbsent(error, r.cause());
            total++;
        }
        ObjectNode body = Json.NODES.objectNode();
        body.put("failedExecutions", total);
        ArrayNode groups = body.putArray("failures");
        List<Map.Entry<String, long[]>> sorted = counts.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).toList();
        for (Map.Entry<String, long[]> g : sorted) {
            groups.addObject().put("error", g.getKey()).put("executions", g.getValue()[0]).put("items", g.getValue()[1])
                    .put("exampleCause", causes.get(g.getKey()));
        }
        return body;
    }

    public static String encode(long batchIndex) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("b" + batchIndex).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the token is not one {@link #encode} made */
    public static long decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!text.startsWith("b")) {
                throw new IllegalArgumentException(token);
            }
            return Long.parseLong(text.substring(1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is not a token this service returned", e);
        }
    }
}
