package io.dmap.common.spec;

import io.dmap.common.events.RunConfig;

/** ARN-shaped names, so result files and DescribeMapRun read as AWS's do. Partition "dmap", account zeros. */
public final class Arns {

    private static final String PREFIX = "arn:dmap:states:local:000000000000:";

    private Arns() {
    }

    public static String mapRun(String label, String mapRunId) {
        return PREFIX + "mapRun:dmap/" + labelOrMap(label) + ":" + mapRunId;
    }

    /** A run's ARN: the one its parent execution gave it ({@link RunConfig#mapRunArn()}), else dmap's own form. */
    public static String mapRunOf(RunConfig config, String mapRunId) {
        if (config != null && config.mapRunArn() != null) {
            return config.mapRunArn();
        }
        return mapRun(config == null ? null : config.label(), mapRunId);
    }

    /**
     * A child execution of the run {@code mapRunArn} ({@code ...:mapRun:<machine>/<label>:<mapRunId>}), as AWS names
     * them: {@code ...:execution:<machine>/<label>:<name>}.
     */
    public static String childExecution(String mapRunArn, String mapRunId, long batchIndex) {
        return runPrefix(mapRunArn, mapRunId).replace(":mapRun:", ":execution:") + ":"
                + executionName(mapRunId, batchIndex);
    }

    /** The child state machine of the run {@code mapRunArn}: {@code ...:stateMachine:<machine>/<label>}. */
    public static String childStateMachine(String mapRunArn, String mapRunId) {
        return runPrefix(mapRunArn, mapRunId).replace(":mapRun:", ":stateMachine:");
    }

    private static String runPrefix(String mapRunArn, String mapRunId) {
        return mapRunArn.endsWith(":" + mapRunId) ? mapRunArn.substring(0, mapRunArn.length() - mapRunId.length() - 1)
                : mapRunArn;
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
