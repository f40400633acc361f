package io.dmap.planner.it;

/** Map state definitions for the tests. */
public final class Specs {

    public static final String PROCESSOR = """
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                              "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    private Specs() {
    }

    /** A valid run over an inline Input array. */
    public static String inline() {
        return "{\"Input\": [1, 2, 3], " + PROCESSOR + "}";
    }

    public static String listing(String bucket, String prefix, String extra) {
        return """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                                "Parameters": {"Bucket": "%s", "Prefix": "%s"}},
                 %s
                 %s}""".formatted(bucket, prefix, extra.isEmpty() ? "" : extra + ",", PROCESSOR);
    }
}
