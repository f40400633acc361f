package io.dmap.asl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Run-time errors carry AWS's texts (recorded on AWS in LocalStack's snapshots, tests/aws/services/stepfunctions/v2,
 * e.g. base/test_wait.snapshot.json), after AWS's prefix naming the state. AWS's "(entered at the event id #n)" is
 * left out: dmap keeps no event history.
 */
class AwsErrorTextsTest {

    private static final String PREFIX = "An error occurred while executing the state 'S'. ";
    private final Machines m = new Machines();

    private void assertRuntime(String state, String input, String cause) {
        ExecutionResult r = m.runState(state, input);
        assertEquals(ExecutionResult.failed("States.Runtime", PREFIX + cause), r);
    }

    @Test
    void secondsPath() {
        String wait = "{'Type':'Wait','SecondsPath':'$.input.waitSeconds','End':true}";
        assertRuntime(wait, "{'input':{'waitSeconds':1.5}}", "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5");
        assertRuntime(wait, "{'input':{'waitSeconds':-1.5}}", "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == -1.5");
        assertRuntime(wait, "{'input':{'waitSeconds':-1}}", "The SecondsPath parameter references a negative value: $.input.waitSeconds == -1");
        assertRuntime(wait, "{'input':{}}", "The SecondsPath parameter does not reference an input value: $.input.waitSeconds");
    }

    @Test
    void timestampPath() {
        assertRuntime("{'Type':'Wait','TimestampPath':'$.TimestampValue','End':true}", "{'TimestampValue':'2016-12-05T21:29:29'}",
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string:"
                        + " $.TimestampValue == 2016-12-05T21:29:29");
    }

    @Test
    void pathsThatSelectNothing() {
        assertRuntime("{'Type':'Pass','InputPath':'$.NoSuchInputPath','End':true}", "{}",
                "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
        assertRuntime("{'Type':'Pass','OutputPath':'$.NoSuchOutputPath','End':true}", "{}",
                "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']");
        assertRuntime("{'Type':'Pass','Parameters':{'value.$':'$.no_such_jsonpath'},'End':true}", "{'a':1}",
                "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'");
        assertRuntime("{'Type':'Fail','ErrorPath':'$.ErrorX'}", "{}",
                "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{}'");
    }

    @Test
    void mapInputAndMaxConcurrencyPath() {
        String processor = "'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}";
        assertRuntime("{'Type':'Map','ItemsPath':'$.items'," + processor + ",'End':true}", "{'items':1}",
                "Map state input must be an array but was: 1");
        assertRuntime("{'Type':'Map','MaxConcurrencyPath':'$.MaxConcurrencyValue','ItemsPath':'$.items'," + processor
                + ",'End':true}", "{'items':[],'MaxConcurrencyValue':'NoNumber'}",
                "The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.MaxConcurrencyValue");
    }

    @Test
    void aFailStatesOwnErrorIsNotPrefixed() {
        assertEquals(ExecutionResult.failed("States.Runtime", "mine"), m.runState("{'Type':'Fail','Error':'States.Runtime','Cause':'mine'}", "{}"));
    }
}
