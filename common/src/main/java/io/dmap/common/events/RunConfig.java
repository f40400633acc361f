package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The parts of a run's spec that the aggregator needs: tolerances and where results go.
 * {@code toleratedFailureCount} / {@code toleratedFailurePercentage} are null when the spec left them out;
 * see {@link io.dmap.common.spec.FailureThreshold} for how absent values are read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunConfig(
        String label,
        int maxConcurrency,
        Integer toleratedFailureCount,
        Double toleratedFailurePercentage,
        ResultWriterConfig resultWriter) {

    /** Null when the spec has no ResultWriter: then no result files are written. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResultWriterConfig(String bucket, String prefix, String outputType, String transformation) {
    }
}
