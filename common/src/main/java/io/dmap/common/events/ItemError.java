package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why an item could not be read (set on a {@link BatchMessage} as {@code readerError}): e.g. a malformed JSONL
 * line or a CSV row with the wrong number of fields. Such a batch holds that one item only; it is never run, and
 * ends FAILED with this error and cause.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ItemError(String error, String cause) {

    /** The error of an item the reader could not parse. */
    public static final String MALFORMED_ITEM = "dmap.MalformedItem";
}
