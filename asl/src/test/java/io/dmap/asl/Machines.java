package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: JSON written with single quotes, a fixed clock, a sleeper that records instead of sleeping. */
final class Machines {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    final List<Duration> sleeps = new ArrayList<>();
    final StateMachineInterpreter interpreter;

    Machines(TaskResource tasks) {
        this.interpreter = new StateMachineInterpreter(tasks, sleeps::add, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    Machines() {
        this((r, p) -> {
            throw new IllegalStateException("no task expected");
        });
    }

    static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    ExecutionResult run(String machine, String input) {
        return interpreter.run(json(machine), json(input), ExecutionContext.of("run-1-0"));
    }

    /** A one-state machine around {@code state} (which must End or be terminal). */
    ExecutionResult runState(String state, String input) {
        return run("{'StartAt':'S','States':{'S':" + state + "}}", input);
    }
}
