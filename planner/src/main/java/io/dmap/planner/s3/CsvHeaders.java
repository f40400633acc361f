package io.dmap.planner.s3;

import io.dmap.planner.planning.ItemReaderException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The rules of CSV headers: at most 10 KiB, no duplicates (AWS fails the run with its text for both). */
final class CsvHeaders {

    static final int MAX_HEADER_BYTES = 10 * 1024;

    private CsvHeaders() {
    }

    /** The size of the headers as one CSV row (UTF-8, one delimiter between them). */
    static long bytes(List<String> headers) {
        long bytes = Math.max(0, headers.size() - 1);
        for (String header : headers) {
            bytes += header.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    static List<String> check(List<String> headers, long bytes, String where) {
        if (bytes > MAX_HEADER_BYTES) {
            throw new ItemReaderException(where + ": the CSV header row is " + bytes + " bytes, more than the 10 KiB ("
                    + MAX_HEADER_BYTES + " bytes) allowed");
        }
        Set<String> seen = new HashSet<>();
        for (String header : headers) {
            if (!seen.add(header)) {
                throw new ItemReaderException(where + ": CSV headers cannot contain duplicates. ('" + header
                        + "' is there twice)");
            }
        }
        return List.copyOf(headers);
    }
}
