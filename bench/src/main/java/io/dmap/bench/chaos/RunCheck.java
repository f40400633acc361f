package io.dmap.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.json.Json;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks after a round, on the run's final DescribeMapRun and its result files: exact counts, every item exactly
 * once across SUCCEEDED, FAILED and PENDING, each file's size as the manifest says, the files agreeing with
 * DescribeMapRun's item counts, and which batches failed (a batch fails exactly when its first item is bad).
 */
final class RunCheck {

    /** What a round found; {@code problems} empty means the round passed. */
    record Verdict(long items, long lost, long duplicated, Map<String, Integer> files, List<String> problems) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    private RunCheck() {
    }

    /**
     * @param expected the ids of the items the run read
     * @param id       an item's id (its Key, or its "id" field)
     * @param bad      whether an item is marked bad (its batch fails when it is the batch's first)
     */
    static Verdict check(JsonNode run, Set<String> expected, Function<JsonNode, String> id, Function<JsonNode, Boolean> bad,
                         S3Client s3, String expectedStatus) {
        List<String> problems = new ArrayList<>();
        String status = run.path("status").asText();
        if (!status.equals(expectedStatus)) {
            problems.add("status " + status + ", expected " + expectedStatus + " (" + run.path("error").asText() + ": "
                    + run.path("cause").asText() + ")");
        }
        JsonNode c = run.path("itemCounts");
        long total = c.path("total").asLong();
        if (total != expected.size()) {
            problems.add("itemCounts.total " + total + ", expected " + expected.size());
        }
        if (c.path("running").asLong() != 0) {
            problems.add("itemCounts.running " + c.path("running").asLong() + " after the end");
        }
        long sum = c.path("succeeded").asLong() + c.path("failed").asLong() + c.path("pending").asLong()
                + c.path("aborted").asLong() + c.path("timedOut").asLong();
        if (sum != total) {
            problems.add("itemCounts add up to " + sum + ", not total " + total + ": " + c);
        }
        if (c.path("resultsWritten").asLong() != total) {
            problems.add("itemCounts.resultsWritten " + c.path("resultsWritten").asLong() + ", not total " + total);
        }
        JsonNode details = run.path("resultWriterDetails");
        if (!details.path("key").isTextual()) {
            problems.add("no resultWriterDetails: " + run);
            return new Verdict(expected.size(), expected.size(), 0, Map.of(), problems);
        }
        String bucket = details.path("bucket").asText();
        JsonNode manifest = Json.parse(s3.getObjectAsBytes(b -> b.bucket(bucket).key(details.path("key").asText())).asUtf8String());
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> files = new HashMap<>();
        Map<String, Long> itemsIn = new HashMap<>();
        for (String category : List.of("SUCCEEDED", "FAILED", "PENDING")) {
            long items = 0;
            int fileCount = 0;
            for (JsonNode file : manifest.path("ResultFiles").path(category)) {
                fileCount++;
                String key = file.path("Key").asText();
                long size = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
                if (size != file.path("Size").asLong()) {
                    problems.add(key + " has " + size + " bytes, the manifest says " + file.path("Size").asLong());
                }
                JsonNode records = Json.parse(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
                for (JsonNode record : records) {
                    JsonNode batch = Json.parse(record.path("Input").asText()).path("Items");
                    boolean firstBad = batch.size() > 0 && bad.apply(batch.get(0));
                    String recordStatus = record.path("Status").asText();
                    if (category.equals("SUCCEEDED") && firstBad) {
                        problems.add("a batch led by a bad item SUCCEEDED: " + id.apply(batch.get(0)));
                    }
                    if (category.equals("FAILED") && recordStatus.equals(ExecutionStatus.FAILED.name()) && !firstBad) {
                        problems.add("a batch led by a good item FAILED: " + id.apply(batch.get(0)) + " " + record.path("Error").asText()
                                + " " + record.path("Cause").asText());
                    }
                    for (JsonNode item : batch) {
                        seen.merge(id.apply(item), 1, Integer::sum);
                        items++;
                    }
                }
            }
            files.put(category, fileCount);
            itemsIn.put(category, items);
        }
        long duplicated = seen.values().stream().mapToLong(n -> n - 1).sum();
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(seen.keySet());
        Set<String> unknown = new HashSet<>(seen.keySet());
        unknown.removeAll(expected);
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " items in no result file, e.g. " + missing.stream().limit(3).toList());
        }
        if (duplicated > 0) {
            problems.add(duplicated + " item records more than once across the result files");
        }
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " unknown items in the result files, e.g. " + unknown.stream().limit(3).toList());
        }
        agree(problems, "SUCCEEDED", itemsIn.get("SUCCEEDED"), c.path("succeeded").asLong());
        agree(problems, "FAILED", itemsIn.get("FAILED"), c.path("failed").asLong() + c.path("aborted").asLong() + c.path("timedOut").asLong());
        agree(problems, "PENDING", itemsIn.get("PENDING"), c.path("pending").asLong());
        return new Verdict(expected.size(), missing.size(), duplicated, files, problems);
    }

    private static void agree(List<String> problems, String category, long inFiles, long described) {
        if (inFiles != described) {
            problems.add(category + " files hold " + inFiles + " items, DescribeMapRun says " + described);
        }
    }
}
