package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.time.Duration;

/**
 * A state that does work and may fail (Task, Parallel, Map): InputPath, the work, ResultSelector, ResultPath,
 * OutputPath, with Retry and Catch around everything but States.Runtime errors.
 */
final class GuardedStep {

    /** The state's work on its effective input (after InputPath), giving its raw result. */
    @FunctionalInterface
    interface Work {
        JsonNode apply(JsonNode effectiveInput, JsonNode ctx) throws StatesError, InterruptedException;
    }

    private final Sleeper sleeper;

    GuardedStep(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    Transition run(StateRun run, Work work) throws StatesError, InterruptedException {
        JsonNode state = run.state();
        Retrier retrier = new Retrier(state.get("Retry"));
        for (int retryCount = 0; ; retryCount++) {
            JsonNode ctx = run.context(retryCount);
            try {
                return attempt(run, ctx, work);
            } catch (StatesError e) {
                if (!e.catchable()) {
                    throw e;
                }
                Duration delay = retrier.nextDelay(e.error());
                if (delay != null) {
                    sleeper.sleep(delay);
                    continue;
                }
                return caught(state, run.input(), e);
            }
        }
    }

    private static Transition attempt(StateRun run, JsonNode ctx, Work work) throws StatesError, InterruptedException {
        JsonNode state = run.state();
        JsonNode effective = DataPaths.inputPath(state, run.input(), ctx);
        JsonNode result = work.apply(effective, ctx);
        if (state.has("ResultSelector")) {
            result = PayloadTemplate.evaluate(state.get("ResultSelector"), result, ctx);
        }
        JsonNode output = DataPaths.resultPath(state.get("ResultPath"), run.input(), result);
        return Transition.after(state, DataPaths.outputPath(state, output, ctx));
    }

    private static Transition caught(JsonNode state, JsonNode rawInput, StatesError e) throws StatesError {
        JsonNode catchers = state.get("Catch");
        if (catchers != null && catchers.isArray()) {
            for (JsonNode catcher : catchers) {
                if (Retrier.matches(catcher.get("ErrorEquals"), e.error())) {
                    ObjectNode errorOutput = Json.NODES.objectNode();
                    errorOutput.put("Error", e.error());
                    errorOutput.put("Cause", e.cause());
                    JsonNode resultPath = catcher.has("ResultPath") ? catcher.get("ResultPath") : null;
                    return new Transition(catcher.get("Next").asText(),
                            DataPaths.resultPath(resultPath, rawInput, errorOutput));
                }
            }
        }
        throw e;
    }
}
