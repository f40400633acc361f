package io.dmap.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One map run as the client saw it, in seconds from the POST: planned (phase left PLANNING), all batches accounted
 * for (phase WRITING_RESULTS or DONE), terminal (status left RUNNING: results written). -1 when never observed.
 */
record RunTiming(String mapRunId, double planned, double allFinished, double terminal, JsonNode last) {

    String status() {
        return last == null ? "?" : last.path("status").asText();
    }

    long succeededItems() {
        return last == null ? 0 : last.path("itemCounts").path("succeeded").asLong();
    }

    long totalItems() {
        return last == null ? 0 : last.path("itemCounts").path("total").asLong();
    }
}
