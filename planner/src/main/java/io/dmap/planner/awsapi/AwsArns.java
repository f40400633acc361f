package io.dmap.planner.awsapi;

import io.dmap.common.spec.Arns;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the ARNs a client sends. dmap's ARNs have partition {@code dmap}, region {@code local} and account zeros
 * ({@link Arns}); an ARN with another partition, region or account but the same resource part names the same thing
 * (clients that build ARNs themselves), and is answered with dmap's form.
 */
final class AwsArns {

    private static final Pattern ARN = Pattern.compile("arn:[^:]+:states:[^:]*:[^:]*:(.+)");
    private static final Pattern STATE_MACHINE = Pattern.compile("stateMachine:([^:/]+)");
    private static final Pattern EXECUTION = Pattern.compile("execution:([^:/]+):([^:]+)");
    private static final Pattern MAP_RUN = Pattern.compile("mapRun:([^:/]+)/([^:]+):([^:]+)");

    /** A map run's ARN, read: the machine ({@code dmap} for a run posted to /map-runs), its label and its id. */
    record MapRunArn(String machine, String label, String mapRunId) {
    }

    /** A parent execution's ARN, read. */
    record ExecutionArn(String machine, String name) {
        String arn() {
            return Arns.parentExecution(machine, name);
        }
    }

    private AwsArns() {
    }

    static String stateMachine(String member, String arn) {
        Matcher m = STATE_MACHINE.matcher(resource(member, arn, "a state machine ARN (...:stateMachine:<name>)"));
        if (!m.matches()) {
            throw AwsError.invalidArn(member, arn, "a state machine ARN (...:stateMachine:<name>)");
        }
        return Arns.stateMachine(m.group(1));
    }

    static ExecutionArn execution(String member, String arn) {
        String expected = "an execution ARN (...:execution:<stateMachineName>:<executionName>)";
        Matcher m = EXECUTION.matcher(resource(member, arn, expected));
        if (!m.matches()) {
            throw AwsError.invalidArn(member, arn, expected);
        }
        return new ExecutionArn(m.group(1), m.group(2));
    }

    static MapRunArn mapRun(String member, String arn) {
        String expected = "a map run ARN (...:mapRun:<stateMachineName>/<label>:<mapRunId>)";
        Matcher m = MAP_RUN.matcher(resource(member, arn, expected));
        if (!m.matches()) {
            throw AwsError.invalidArn(member, arn, expected);
        }
        return new MapRunArn(m.group(1), m.group(2), m.group(3));
    }

    private static String resource(String member, String arn, String expected) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw AwsError.invalidArn(member, arn, expected);
        }
        return m.group(1);
    }
}
