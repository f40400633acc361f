package io.dmap.common.spec;

/** ARN-shaped names, so result files and DescribeMapRun read as AWS's do. Partition "dmap", account zeros. */
public final class Arns {

    private static final String PREFIX = "arn:dmap:states:local:000000000000:";

    private Arns() {
    }

    public static String mapRun(String label, String mapRunId) {
        return PREFIX + "mapRun:dmap/" + labelOrMap(label) + ":" + mapRunId;
    }

    public static String execution(String label, String mapRunId, long batchIndex) {
        return PREFIX + "execution:dmap/" + labelOrMap(label) + ":" + executionName(mapRunId, batchIndex);
    }

    /** The child execution's Name: unique per run and batch, stable across redeliveries. */
    public static String executionName(String mapRunId, long batchIndex) {
        return mapRunId + "-" + batchIndex;
    }

    private static String labelOrMap(String label) {
        return label == null || label.isEmpty() ? "Map" : label;
    }
}
