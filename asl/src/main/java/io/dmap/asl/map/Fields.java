package io.dmap.asl.map;

import io.dmap.common.spec.SpecException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;

/** Typed reads from a JSON object that fail with a {@link SpecException} naming the field path. */
final class Fields {

    private final JsonNode node;
    private final String path;

    Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    JsonNode get(String field) {
        return has(field) ? node.get(field) : null;
    }

    Fields object(String field, boolean required) {
        JsonNode value = get(field);
        if (value == null) {
            if (required) {
                throw new SpecException(at(field), "is required");
            }
            return null;
        }
        if (!value.isObject()) {
            throw new SpecException(at(field), "must be an object");
        }
        return new Fields(value, at(field));
    }

    String string(String field, boolean required) {
        JsonNode value = get(field);
        if (value == null) {
            if (required) {
                throw new SpecException(at(field), "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new SpecException(at(field), "must be a string");
        }
        return value.asText();
    }

    Integer integer(String field, int min, int max) {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new SpecException(at(field), "must be an integer");
        }
        int n = value.intValue();
        if (n < min || n > max) {
            throw new SpecException(at(field), "must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }

    Double number(String field, double min, double max) {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw new SpecException(at(field), "must be a number");
        }
        double d = value.doubleValue();
        if (d < min || d > max) {
            throw new SpecException(at(field), "must be between " + fmt(min) + " and " + fmt(max) + ", was " + value.asText());
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
            throw new SpecException(at(field), "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** Fields that dmap does not implement yet: say so instead of silently ignoring them. */
    void unsupported(String... fields) {
        for (String f : fields) {
            if (node.has(f)) {
                throw new SpecException(at(f), "is not supported by dmap yet");
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
