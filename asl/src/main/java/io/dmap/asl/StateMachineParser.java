package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/**
 * Validation of a child state machine (the ItemProcessor), for callers that only need the verdict (the Map-state
 * parser): a thin delegate to {@link StateMachine#compile}, so what POST accepts is exactly what the worker runs.
 */
public final class StateMachineParser {

    /** Task resources the worker runs itself (plus Lambda function ARNs, resolved by the worker's configuration). */
    public static final Set<String> TASK_RESOURCES = Set.of(
            "arn:aws:states:::http:invoke",
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::aws-sdk:s3:getObject",
            "arn:aws:states:::aws-sdk:s3:headObject",
            "arn:aws:states:::aws-sdk:s3:copyObject",
            "arn:aws:states:::aws-sdk:s3:putObject");
    static final String LAMBDA_ARN_PREFIX = "arn:aws:lambda:";

    private StateMachineParser() {
    }

    /** Throws a SpecException listing every problem of {@code machine} (found at {@code path}). */
    public static void validate(JsonNode machine, String path) {
        StateMachine.compile(machine, path);
    }

    /**
     * The ItemProcessor as the worker must run it when the Map state's QueryLanguage is {@code mapLanguage}: a copy
     * with {@code "QueryLanguage"} set unless the processor sets its own. Validate and publish this one node, and
     * POST and the worker read the same language.
     */
    public static JsonNode inheritLanguage(JsonNode processor, QueryLanguage mapLanguage) {
        if (processor == null || !processor.isObject() || processor.has("QueryLanguage")
                || mapLanguage == QueryLanguage.JSONPATH) {
            return processor;
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = processor.deepCopy();
        copy.put("QueryLanguage", mapLanguage.fieldValue());
        return copy;
    }

    /** As {@link #validate(JsonNode, String)}, inheriting the Map state's query language. */
    public static void validate(JsonNode machine, String path, QueryLanguage inherited) {
        StateMachine.compile(machine, path, inherited);
    }
}
