package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One request body of the JSON 1.0 protocol, read member by member: a member of the wrong type or out of range is a
 * ValidationException naming it, and a member dmap does not implement is rejected by name, never ignored.
 */
public final class AwsInput {

    private final String operation;
    private final ObjectNode body;

    private AwsInput(String operation, ObjectNode body) {
        this.operation = operation;
        this.body = body;
    }

    /** An empty body is {@code {}} (AWS's clients send {@code {}} for an empty input; some send nothing). */
    public static AwsInput parse(String operation, byte[] bytes) {
        String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new AwsInput(operation, Json.NODES.objectNode());
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AwsError("ValidationException", "the body of " + operation + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw new AwsError("ValidationException", "the body of " + operation + " must be a JSON object");
        }
        return new AwsInput(operation, (ObjectNode) node);
    }

    public static AwsInput of(String operation, ObjectNode body) {
        return new AwsInput(operation, body);
    }

    public String operation() {
        return operation;
    }

    /**
     * Every member must be one of {@code accepted}; {@code unsupported} names AWS's members dmap does not implement,
     * with the reason. A null member counts as absent (some clients send explicit nulls).
     */
    public AwsInput members(Set<String> accepted, Map<String, String> unsupported) {
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            if (member.getValue().isNull() || accepted.contains(name)) {
                continue;
            }
            if (unsupported.containsKey(name)) {
                throw AwsError.validation(name, "is not supported by dmap: " + unsupported.get(name));
            }
            throw AwsError.validation(name, "is not a member of " + operation + "Input (members: "
                    + String.join(", ", accepted.stream().sorted().toList()) + ")");
        }
        return this;
    }

    private JsonNode get(String member) {
        JsonNode v = body.get(member);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String member) {
        return get(member) != null;
    }

    public String required(String member) {
        String v = string(member);
        if (v == null) {
            throw AwsError.validation(member, "failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    public String string(String member) {
        JsonNode v = get(member);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw AwsError.validation(member, "must be a string, was " + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }

    /** A string of {@code min..max} characters, or null when absent. */
    public String string(String member, int min, int max) {
        String v = string(member);
        if (v != null && (v.length() < min || v.length() > max)) {
            throw AwsError.validation(member, "failed to satisfy constraint: Member must have length between "
                    + min + " and " + max + " (was " + v.length() + ")");
        }
        return v;
    }

    public Long integer(String member, long min, long max) {
        JsonNode v = get(member);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw AwsError.validation(member, "failed to satisfy constraint: Member must be an integer from "
                    + min + " to " + max + " (was " + v + ")");
        }
        return v.asLong();
    }

    public Double number(String member, double min, double max) {
        JsonNode v = get(member);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw AwsError.validation(member, "failed to satisfy constraint: Member must be a number from "
                    + min + " to " + max + " (was " + v + ")");
        }
        return v.asDouble();
    }

    public Boolean bool(String member) {
        JsonNode v = get(member);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw AwsError.validation(member, "must be a boolean, was " + v);
        }
        return v.asBoolean();
    }

    /** One of {@code values}, or null when absent. */
    public String oneOf(String member, Set<String> values) {
        String v = string(member);
        if (v != null && !values.contains(v)) {
            throw AwsError.validation(member, "failed to satisfy constraint: Member must satisfy enum value set: "
                    + values.stream().sorted().toList() + " (was '" + v + "')");
        }
        return v;
    }

    /** AWS's page size: 0 or absent means the default of 100; at most 1000. */
    public int maxResults() {
        Long n = integer("maxResults", 0, 1000);
        return n == null || n == 0 ? 100 : n.intValue();
    }
}
