package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.util.Iterator;
import java.util.Set;

/**
 * The field vocabulary of states: which fields AWS knows per state type and query language, which dmap does not
 * implement (rejected by name), and the check that reports every other field as unknown, as AWS's validator does.
 */
final class Fields {

    /** Fields valid only in JSONPath states. */
    static final Set<String> JSONPATH_ONLY = Set.of("InputPath", "OutputPath", "ResultPath", "Parameters",
            "ResultSelector", "ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath",
            "HeartbeatSecondsPath", "ErrorPath", "CausePath", "MaxConcurrencyPath", "Result", "Iterator",
            "ToleratedFailureCountPath", "ToleratedFailurePercentagePath");
    /** Fields valid only in JSONata states. */
    static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Items");

    /** Fields AWS has that dmap does not implement inside a child execution. */
    static final Set<String> UNSUPPORTED = Set.of("HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
            "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount", "ToleratedFailureCountPath",
            "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label");

    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");

    private Fields() {
    }

    /** The fields of a Distributed Map at a whole machine's top level: the Map-state parser knows the rest. */
    static final Set<String> DISTRIBUTED_MAP_FLOW = Set.of("Next", "End", "ResultPath", "ResultSelector", "OutputPath",
            "Retry", "Catch", "Output", "Assign");

    static Set<String> of(String type) {
        return switch (type) {
            case "Pass" -> Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result",
                    "Output", "Assign");
            case "Task" -> Set.of("Resource", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters",
                    "ResultSelector", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
                    "HeartbeatSecondsPath", "Credentials", "Arguments", "Output", "Assign");
            case "Choice" -> Set.of("Choices", "Default", "InputPath", "OutputPath", "Output", "Assign");
            case "Wait" -> Set.of("Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp",
                    "TimestampPath", "Output", "Assign");
            case "Succeed" -> Set.of("InputPath", "OutputPath", "Output");
            case "Fail" -> Set.of("Error", "ErrorPath", "Cause", "CausePath");
            case "Parallel" -> Set.of("Branches", "Next", "End", "InputPath", "OutputPath", "ResultPath",
                    "Parameters", "ResultSelector", "Retry", "Catch", "Arguments", "Output", "Assign");
            case "Map" -> Set.of("ItemProcessor", "Iterator", "ItemsPath", "Items", "ItemSelector", "Parameters",
                    "MaxConcurrency", "MaxConcurrencyPath", "Next", "End", "InputPath", "OutputPath", "ResultPath",
                    "ResultSelector", "Retry", "Catch", "Output", "Assign", "ItemReader", "ItemBatcher",
                    "ResultWriter", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage",
                    "ToleratedFailurePercentagePath", "Label");
            default -> Set.of();
        };
    }

    /**
     * Reports each field of {@code node} that is unknown for its type, belongs to the other query language, or is
     * not implemented by dmap.
     */
    static void check(JsonNode node, String type, QueryLanguage language, String path, Problems problems) {
        Set<String> known = of(type);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            String at = path + "." + field;
            if (COMMON.contains(field)) {
                continue;
            }
            if (!known.contains(field)) {
                problems.add(at, "is not a field of a " + type + " state");
            } else if (language == QueryLanguage.JSONATA && JSONPATH_ONLY.contains(field)) {
                problems.add(at, "is a JSONPath field and cannot be used in a JSONata state" + jsonataHint(field));
            } else if (language == QueryLanguage.JSONPATH && JSONATA_ONLY.contains(field)) {
                problems.add(at, "is a JSONata field and cannot be used in a JSONPath state (set \"QueryLanguage\":"
                        + " \"JSONata\")");
            } else if (UNSUPPORTED.contains(field)) {
                problems.add(at, "is not supported by dmap" + (type.equals("Map") && !field.startsWith("Heartbeat")
                        ? " in a Map inside the ItemProcessor (it runs inline)" : ""));
            }
        }
    }

    private static String jsonataHint(String field) {
        return switch (field) {
            case "Parameters" -> " (use Arguments)";
            case "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Result" -> " (use Output)";
            case "ItemsPath" -> " (use Items)";
            default -> "";
        };
    }

    /** Reports each field of a Retry, Catch or machine object that is not in {@code known}. */
    static void only(JsonNode node, Set<String> known, String what, String path, Problems problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                problems.add(StateMachineCompiler.at(path, field), "is not a field of " + what);
            }
        }
    }
}
