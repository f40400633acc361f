package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesPaths;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The S3 location in an ItemReader's or ResultWriter's {@code Parameters} (JSONPath) or {@code Arguments}
 * (JSONata): each of {@code keys} given as a string, or evaluated at run start ({@code Bucket.$} with a path or an
 * intrinsic, or a JSONata expression). {@link #value} is null for a key given dynamically or not at all.
 */
final class Location {

    private final Map<String, String> values = new HashMap<>();

    private Location() {
    }

    String value(String key) {
        return values.get(key);
    }

    static Location read(Fields owner, boolean jsonata, List<String> keys, String required, String alsoRequired) {
        Location location = new Location();
        String field = jsonata ? "Arguments" : "Parameters";
        owner.reject(jsonata ? "is JSONPath only; a JSONata state takes Arguments"
                : "is JSONata only (QueryLanguage JSONata); a JSONPath state takes Parameters", jsonata ? "Parameters" : "Arguments");
        JsonNode params = owner.get(field);
        if (params == null) {
            owner.problem(field, "is required (with " + String.join(", ", keys) + ")");
            return location;
        }
        if (jsonata && params.isTextual()) {
            Jsonata.expression(owner, field, params.asText()); // the whole object comes from an expression
            return location;
        }
        Fields p = owner.object(field, true);
        if (p == null) {
            return location;
        }
        if (!jsonata) {
            StatesPaths.checkTemplate(params, owner.at(field)).forEach(pr -> owner.problems().add(pr.field(), pr.reason()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            boolean pathKey = !jsonata && name.endsWith(".$");
            String key = pathKey ? name.substring(0, name.length() - 2) : name;
            if (!keys.contains(key)) {
                p.problem(name, "is not a parameter dmap reads here (" + String.join(", ", keys) + ")");
            } else if (pathKey) {
                if (params.has(key)) {
                    p.problem(key, "cannot be used together with " + p.at(name) + "; give one of " + key + " and " + name);
                }
            } else if (!e.getValue().isTextual()) {
                p.problem(name, "must be a string");
            } else if (jsonata && Jsonata.isExpression(e.getValue().asText())) {
                Jsonata.expression(p, name, e.getValue().asText());
            } else if (key.equals("Bucket") && e.getValue().asText().isBlank()) {
                p.problem(name, "must not be empty");
            } else {
                location.values.put(key, e.getValue().asText());
            }
        }
        for (String r : alsoRequired == null ? List.of(required) : List.of(required, alsoRequired)) {
            if (!params.has(r) && !params.has(r + ".$")) {
                p.problem(r, "is required" + (jsonata ? "" : " (or " + r + ".$ with a path)"));
            }
        }
        return location;
    }

    /** Whether some of the template is evaluated at run start. */
    static boolean isDynamic(JsonNode params, boolean jsonata) {
        if (jsonata) {
            if (params.isTextual()) {
                return true;
            }
            for (JsonNode v : params) {
                if (v.isTextual() && Jsonata.isExpression(v.asText())) {
                    return true;
                }
            }
            return false;
        }
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            if (it.next().endsWith(".$")) {
                return true;
            }
        }
        return false;
    }
}
