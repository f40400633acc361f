package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The parts of a run's spec that the aggregator needs: tolerances and where results go.
 * {@code toleratedFailureCount} / {@code toleratedFailurePercentage} are null when the spec left them out;
 * see {@link io.dmap.common.spec.FailureThreshold} for how absent values are read. {@code mapRunArn} (added later) is
 * the ARN a parent execution's Distributed Map state gave the run ({@code ...:mapRun:<machine>/<label>:<id>}); null
 * for a run posted on its own, whose ARN is {@code ...:mapRun:dmap/<label>:<id>} ({@link io.dmap.common.spec.Arns}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunConfig(
        String label,
        int maxConcurrency,
        Integer toleratedFailureCount,
        Double toleratedFailurePercentage,
        ResultWriterConfig resultWriter,
        String mapRunArn) {

    /** The fields of the first version (a run without a parent execution). */
    public RunConfig(String label, int maxConcurrency, Integer toleratedFailureCount, Double toleratedFailurePercentage,
                     ResultWriterConfig resultWriter) {
        this(label, maxConcurrency, toleratedFailureCount, toleratedFailurePercentage, resultWriter, null);
    }

    /**
     * Null when the spec has no ResultWriter: then no result files are written. {@code outputType} and
     * {@code transformation} are on the wire by name; null (a config that left them out) means AWS's defaults.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResultWriterConfig(String bucket, String prefix, OutputType outputType, Transformation transformation) {
    }
}
