package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;

/** ResultWriter {@code WriterConfig.OutputType}: one JSON array per result file, or one record per line. */
public enum OutputType {
    JSON, JSONL;

    /**
     * AWS's default when WriterConfig leaves it out: JSON. Case-insensitive; also how a run config's JSON is read, so a
     * config written before the field was typed reads back whatever its case.
     */
    @JsonCreator
    public static OutputType of(String name) {
        return name == null ? JSON : valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
