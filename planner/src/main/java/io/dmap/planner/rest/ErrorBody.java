package io.dmap.planner.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dmap.common.spec.SpecException;

import java.util.List;

/**
 * Every error answer: {@code error} is the kind, {@code field} the (first) offending field or parameter (if any),
 * {@code problems} every problem of an invalid definition (field path and reason each).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String field, String message, List<SpecException.Problem> problems) {

    public ErrorBody(String error, String field, String message) {
        this(error, field, message, null);
    }

    public static ErrorBody of(String error, String message) {
        return new ErrorBody(error, null, message);
    }
}
