package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The call of a Task state to its Resource, bounded by TimeoutSeconds. */
final class TaskStep {

    /** Calls run on their own thread so that TimeoutSeconds can abandon them. */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dmap-task-call");
        t.setDaemon(true);
        return t;
    });

    private final TaskResource resources;

    TaskStep(TaskResource resources) {
        this.resources = resources;
    }

    JsonNode call(String resource, JsonNode parameters, Duration timeout) throws StatesError, InterruptedException {
        Future<JsonNode> call = CALLS.submit(() -> resources.invoke(resource, parameters));
        try {
            JsonNode result = timeout == null ? call.get() : call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return result == null ? Json.NODES.nullNode() : result;
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StatesError(StatesError.TIMEOUT, "The task " + resource + " did not finish within "
                    + timeout.toSeconds() + " seconds");
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StatesError se) {
                throw se;
            }
            throw new StatesError(StatesError.TASK_FAILED, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        }
    }
}
