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

    /** A state machine of the AWS-compatible API: {@code ...:stateMachine:<name>}. */
    public static String stateMachine(String name) {
        return PREFIX + "stateMachine:" + name;
    }

    /** A parent execution of the AWS-compatible API: {@code ...:execution:<machine>:<name>}. */
    public static String parentExecution(String machineName, String executionName) {
        return PREFIX + "execution:" + machineName + ":" + executionName;
    }

    /** A map run started by a parent execution's Distributed Map state: {@code ...:mapRun:<machine>/<label>:<id>}. */
    public static String parentMapRun(String machineName, String label, String mapRunId) {
        return PREFIX + "mapRun:" + machineName + "/" + labelOrMap(label) + ":" + mapRunId;
    }

    /** The last segment of any of these ARNs (a map run's id, an execution's name). */
    public static String lastSegment(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private static String labelOrMap(String label) {
        return label == null || label.isEmpty() ? "Map" : label;
    }
}
