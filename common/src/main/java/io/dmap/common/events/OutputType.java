package io.dmap.common.events;

/** ResultWriter {@code WriterConfig.OutputType}: one JSON array per result file, or one record per line. */
public enum OutputType {
    JSON, JSONL;

    /** AWS's default when WriterConfig leaves it out: JSON. Case-insensitive, as the parser accepts it. */
    public static OutputType of(String name) {
        return name == null ? JSON : valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
