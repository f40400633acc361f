package io.dmap.bench;

/** The Map states the scenarios POST (ASL JSON, as a user would write them). */
final class Specs {

    static final String PASS = """
            {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
             "StartAt": "Noop", "States": {"Noop": {"Type": "Pass", "End": true}}}""";

    private Specs() {
    }

    static String wait(int seconds) {
        return """
                {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                 "StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": %d, "End": true}}}""".formatted(seconds);
    }

    /** Scenario 1: items inline in Input (no S3 read), batches of 10, Pass, results written. */
    static String inline(int items, int perBatch, String resultBucket) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < items; i++) {
            array.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
        }
        array.append(']');
        return """
                {"Type": "Map", "Label": "bench-overhead", "ItemsPath": "$.items", "Input": {"items": %s},
                 "ItemBatcher": {"MaxItemsPerBatch": %d},
                 "ItemProcessor": %s,
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "overhead"}}}"""
                .formatted(array, perBatch, PASS, resultBucket);
    }

    /** Scenario 2, 4 and 6: a JSONL item file (getObject), optionally capped with MaxItems; no ItemBatcher if perBatch is 0. */
    static String jsonl(String label, String bucket, String key, long maxItems, int perBatch, int maxConcurrency,
                        String processor, String resultBucket) {
        String writer = resultBucket == null ? "" : """
                ,"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "%s"}}"""
                .formatted(resultBucket, label);
        return """
                {"Type": "Map", "Label": "%s",
                 "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                "ReaderConfig": {"InputType": "JSONL"%s},
                                "Parameters": {"Bucket": "%s", "Key": "%s"}},
                 %s"MaxConcurrency": %d,
                 "ItemProcessor": %s%s}"""
                .formatted(label, maxItems > 0 ? ", \"MaxItems\": " + maxItems : "", bucket, key,
                        perBatch > 0 ? "\"ItemBatcher\": {\"MaxItemsPerBatch\": " + perBatch + "},\n " : "",
                        maxConcurrency, processor, writer);
    }

    /** Scenario 3: listObjectsV2 over a bucket, big batches, Pass, no result files (the listing is measured). */
    static String listing(String bucket, String prefix, int perBatch) {
        return """
                {"Type": "Map", "Label": "bench-listing",
                 "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "%s"}},
                 "ItemBatcher": {"MaxItemsPerBatch": %d},
                 "ItemProcessor": %s}"""
                .formatted(bucket, prefix, perBatch, PASS);
    }
}
