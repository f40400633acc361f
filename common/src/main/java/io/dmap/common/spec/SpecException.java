package io.dmap.common.spec;

/** A Map state definition a user posted is invalid: {@code field} is the path within it, {@code reason} says why. */
public class SpecException extends RuntimeException {

    private final String field;
    private final String reason;

    public SpecException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
