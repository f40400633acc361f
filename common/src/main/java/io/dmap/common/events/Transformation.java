package io.dmap.common.events;

/**
 * ResultWriter {@code WriterConfig.Transformation}: NONE writes full execution records, COMPACT only the outputs,
 * FLATTEN the outputs with array outputs flattened. Failed and pending records are always written in full.
 */
public enum Transformation {
    NONE, COMPACT, FLATTEN;

    /** AWS's default when WriterConfig leaves it out: NONE. Case-insensitive, as the parser accepts it. */
    public static Transformation of(String name) {
        return name == null ? NONE : valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
