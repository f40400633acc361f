package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.workflow.Workflows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems of a state machine definition, each with its path: the parent engine's compiler ({@link
 * Workflows#validate}) judges it; while no engine is deployed in this planner, only what needs no engine is checked
 * (valid JSON, an object, {@code StartAt} naming a state of {@code States}).
 */
@ApplicationScoped
public class DefinitionCheck {

    private final Instance<Workflows> workflows;

    public DefinitionCheck(Instance<Workflows> workflows) {
        this.workflows = workflows;
    }

    /** Empty when the definition is valid. */
    public List<SpecException.Problem> problems(String definition) {
        List<SpecException.Problem> shape = shape(definition);
        if (!shape.isEmpty() || !workflows.isResolvable()) {
            return shape;
        }
        try {
            workflows.get().validate(definition);
            return List.of();
        } catch (SpecException e) {
            return e.problems();
        }
    }

    static List<SpecException.Problem> shape(String definition) {
        List<SpecException.Problem> problems = new ArrayList<>();
        JsonNode machine;
        try {
            machine = Json.MAPPER.readTree(definition);
        } catch (Exception e) {
            problems.add(new SpecException.Problem("$", "is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse("")));
            return problems;
        }
        if (machine == null || !machine.isObject()) {
            problems.add(new SpecException.Problem("$", "must be a JSON object with StartAt and States"));
            return problems;
        }
        JsonNode states = machine.get("States");
        if (states == null || !states.isObject() || states.isEmpty()) {
            problems.add(new SpecException.Problem("States", "is required: an object with at least one state"));
        }
        JsonNode startAt = machine.get("StartAt");
        if (startAt == null || !startAt.isTextual()) {
            problems.add(new SpecException.Problem("StartAt", "is required: the name of the first state"));
        } else if (states != null && states.isObject() && !states.has(startAt.asText())) {
            problems.add(new SpecException.Problem("StartAt", "names no state: '" + startAt.asText() + "'"));
        }
        return problems;
    }

    /** A problem's path as AWS's diagnostics locate it: a JSON pointer such as {@code /States/Map/ItemReader}. */
    static String location(String field) {
        if (field == null || field.isEmpty() || field.equals("$")) {
            return "/";
        }
        String path = field.startsWith("$.") ? field.substring(2) : field;
        return "/" + path.replace("~", "~0").replace("/", "~1").replace('.', '/').replaceAll("\\[(\\d+)]", "/$1");
    }
}
