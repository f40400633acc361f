package io.dmap.aggregator.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one category ({@code SUCCEEDED_0.json}, {@code SUCCEEDED_1.json}, ...): entries are streamed
 * to a temp file, which is uploaded and deleted once it would grow past the size bound, so neither memory
 * nor disk ever holds more than one file. JSON files are one array; JSONL files one entry per line.
 */
final class ResultFileSet implements AutoCloseable {

    /** Stores a finished file under its key. */
    interface Uploader {
        void upload(String key, Path file) throws IOException;
    }

    record FileEntry(String key, long size) {
    }

    private static final byte[] NEWLINE = {'\n'};

    private final String keyPrefix;
    private final ResultCategory category;
    private final boolean jsonLines;
    private final long maxBytes;
    private final Path tempDir;
    private final Uploader uploader;
    private final List<FileEntry> files = new ArrayList<>();

    private Path current;
    private OutputStream out;
    private long bytes;
    private long entries;

    ResultFileSet(String keyPrefix, ResultCategory category, boolean jsonLines, long maxBytes, Path tempDir, Uploader uploader) {
        this.keyPrefix = keyPrefix;
        this.category = category;
        this.jsonLines = jsonLines;
        this.maxBytes = maxBytes;
        this.tempDir = tempDir;
        this.uploader = uploader;
    }

    void add(JsonNode entry) throws IOException {
        byte[] json = Json.toBytes(entry);
        if (out != null && entries > 0 && bytes + json.length + 2 > maxBytes) {
            finishCurrent();
        }
        if (out == null) {
            current = Files.createTempFile(tempDir, "dmap-" + category.name().toLowerCase() + "-", ".json");
            out = new BufferedOutputStream(Files.newOutputStream(current), 64 * 1024);
            bytes = 0;
            entries = 0;
            if (!jsonLines) {
                write(new byte[] {'['});
            }
        }
        if (entries > 0) {
            write(jsonLines ? NEWLINE : new byte[] {','});
        }
        write(json);
        entries++;
    }

    /** Uploads the last file; returns every file written, in order. */
    List<FileEntry> finish() throws IOException {
        if (out != null) {
            finishCurrent();
        }
        return List.copyOf(files);
    }

    private void finishCurrent() throws IOException {
        write(jsonLines ? NEWLINE : new byte[] {']'});
        out.close();
        out = null;
        String key = keyPrefix + category.name() + "_" + files.size() + ".json";
        try {
            long size = Files.size(current);
            uploader.upload(key, current);
            files.add(new FileEntry(key, size));
        } finally {
            Files.deleteIfExists(current);
            current = null;
        }
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        bytes += b.length;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        if (current != null) {
            Files.deleteIfExists(current);
            current = null;
        }
    }
}
