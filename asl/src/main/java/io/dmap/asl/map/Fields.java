package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads from one JSON object of a definition. A field that is wrong is recorded in the shared {@link Problems}
 * (with its field path) and read as absent, so that one pass finds every problem of the definition.
 */
final class Fields {

    private final JsonNode node;
    private final String path;
    private final Problems problems;
    /** Child objects read so far, so that reading one twice records its problems once. */
    private final Map<String, Fields> children = new HashMap<>();

    Fields(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String at(String field) {
        if (field.isBlank()) {
            // a name a dotted path cannot spell (e.g. the empty key) is quoted, so the problem still names its place
            return (path.isEmpty() ? "$" : path) + "['" + field.replace("'", "\\'") + "']";
        }
        return path.isEmpty() ? field : path + "." + field;
    }

    Problems problems() {
        return problems;
    }

    void problem(String field, String reason) {
        problems.add(at(field), reason);
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    JsonNode get(String field) {
        return has(field) ? node.get(field) : null;
    }

    Fields object(String field, boolean required) {
        if (children.containsKey(field)) {
            return children.get(field);
        }
        Fields child = readObject(field, required);
        children.put(field, child);
        return child;
    }

    private Fields readObject(String field, boolean required) {
        JsonNode value = get(field);
        if (value == null) {
            if (required) {
                problem(field, "is required");
            }
            return null;
        }
        if (!value.isObject()) {
            problem(field, "must be an object");
            return null;
        }
        return new Fields(value, at(field), problems);
    }

    String string(String field, boolean required) {
        JsonNode value = get(field);
        if (value == null) {
            if (required) {
                problem(field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            problem(field, "must be a string");
            return null;
        }
        return value.asText();
    }

    Integer integer(String field, int min, int max) {
        return integer(field, min, max, "");
    }

    /** {@code alternative} is added to the reason (e.g. ", or a JSONata expression"). */
    Integer integer(String field, int min, int max, String alternative) {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problem(field, "must be an integer" + alternative);
            return null;
        }
        int n = value.intValue();
        if (n < min || n > max) {
            problem(field, "must be between " + min + " and " + max + ", was " + n + alternative);
            return null;
        }
        return n;
    }

    Double number(String field, double min, double max) {
        return number(field, min, max, "");
    }

    Double number(String field, double min, double max, String alternative) {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            problem(field, "must be a number" + alternative);
            return null;
        }
        double d = value.doubleValue();
        if (d < min || d > max) {
            problem(field, "must be between " + fmt(min) + " and " + fmt(max) + ", was " + value.asText());
            return null;
        }
        return d;
    }

    <E extends Enum<E>> E choice(String field, Class<E> type, E dflt) {
        String value = string(field, false);
        if (value == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            problem(field, "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
            return dflt;
        }
    }

    /** Records every field present but not in {@code known}: a field dmap does not read is never silently ignored. */
    void onlyKnown(Set<String> known, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                problem(field, "is not a field of " + what + " that dmap knows (fields: " + String.join(", ", sorted(known)) + ")");
            }
        }
    }

    /** Records each of {@code fields} that is present, with {@code reason}. */
    void reject(String reason, String... fields) {
        for (String f : fields) {
            if (node.has(f)) {
                problem(f, reason);
            }
        }
    }

    /** Both of a field and its {@code ...Path} (or other exclusive) variant: one problem naming both. */
    boolean exclusive(String a, String b) {
        if (node.has(a) && node.has(b)) {
            problem(a, "cannot be used together with " + at(b) + "; give one of " + a + " and " + b);
            return true;
        }
        return false;
    }

    private static String[] sorted(Set<String> set) {
        String[] a = set.toArray(new String[0]);
        Arrays.sort(a);
        return a;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
