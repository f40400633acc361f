package io.dmap.planner.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every error answer: {@code error} is the kind, {@code field} the offending field or parameter (if any). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String field, String message) {

    public static ErrorBody of(String error, String message) {
        return new ErrorBody(error, null, message);
    }
}
