package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * ResultWriter {@code WriterConfig.Transformation}: NONE writes full execution records, COMPACT only the outputs,
 * FLATTEN the outputs with array outputs flattened. Failed and pending records are always written in full.
 */
public enum Transformation {
    NONE, COMPACT, FLATTEN;

    /**
     * AWS's default when WriterConfig leaves it out: NONE. Case-insensitive; also how a run config's JSON is read, so a
     * config written before the field was typed reads back whatever its case.
     */
    @JsonCreator
    public static Transformation of(String name) {
        return name == null ? NONE : valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
