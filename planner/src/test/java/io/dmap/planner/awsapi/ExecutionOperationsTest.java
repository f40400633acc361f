package io.dmap.planner.awsapi;

import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution operations through the AWS SDK's SfnClient, on the planner's parent engine (state machines without a
 * Distributed Map: the planner's tests run no worker or aggregator; e2e AwsClientsIT runs those).
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class ExecutionOperationsTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/dmap-test";
    static final String GREET = """
            {"StartAt": "Greet", "States": {
              "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hello {}', $.who)"}, "Next": "Done"},
              "Done": {"Type": "Succeed"}}}""";
    static final String SLOW = """
            {"StartAt": "Begin", "States": {"Begin": {"Type": "Pass", "Next": "Nap"},
              "Nap": {"Type": "Wait", "Seconds": 120, "Next": "Done"}, "Done": {"Type": "Succeed"}}}""";

    @TestHTTPResource("/")
    URL planner;

    SfnClient sfn;

    @BeforeEach
    void client() {
        sfn = Sfn.client(planner, "AKIDTESTAWSAPI", "not-checked-with-auth-off");
    }

    @AfterEach
    void close() {
        sfn.close();
    }

    private String machine(String base, String definition) {
        String name = base + "-" + System.nanoTime() % 1_000_000;
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    private DescribeExecutionResponse awaitEnd(String arn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        DescribeExecutionResponse d = null;
        while (System.nanoTime() < deadline) {
            d = sfn.describeExecution(b -> b.executionArn(arn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(arn + " did not end: " + d);
    }

    @Test
    void anExecutionRunsAndIsDescribedListedAndHistorised() throws Exception {
        String machine = machine("greet", GREET);
        StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(machine).name("first")
                .input("{\"who\": \"dmap\"}"));
        assertTrue(started.executionArn().endsWith(":execution:" + machine.substring(machine.lastIndexOf(':') + 1)
                + ":first"), started::executionArn);
        DescribeExecutionResponse done = awaitEnd(started.executionArn());
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done::toString);
        assertEquals(Json.parse("{\"greeting\": \"hello dmap\"}"), Json.parse(done.output()));
        assertEquals(Json.parse("{\"who\": \"dmap\"}"), Json.parse(done.input()));
        assertEquals(machine, done.stateMachineArn());
        assertEquals(started.startDate(), done.startDate());
        assertTrue(!done.stopDate().isBefore(done.startDate()));

        List<ExecutionListItem> listed = sfn.listExecutions(b -> b.stateMachineArn(machine)).executions();
        assertEquals(List.of(started.executionArn()), listed.stream().map(ExecutionListItem::executionArn).toList());
        assertEquals(ExecutionStatus.SUCCEEDED, listed.get(0).status());
        assertEquals(List.of(), sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.FAILED))
                .executions());

        List<HistoryEventType> types = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(started.executionArn()).maxResults(2)).events()
                .forEach(e -> types.add(e.type()));
        assertEquals(HistoryEventType.EXECUTION_STARTED, types.get(0), types::toString);
        assertEquals(HistoryEventType.EXECUTION_SUCCEEDED, types.get(types.size() - 1), types::toString);
        assertTrue(types.containsAll(List.of(HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED)),
                types::toString);
        GetExecutionHistoryResponse reversed = sfn.getExecutionHistory(b -> b.executionArn(started.executionArn())
                .reverseOrder(true).maxResults(1));
        HistoryEvent last = reversed.events().get(0);
        assertEquals(HistoryEventType.EXECUTION_SUCCEEDED, last.type());
        assertTrue(last.executionSucceededEventDetails() != null, last::toString);
        assertTrue(reversed.nextToken() != null);

        assertEquals(List.of(), sfn.listMapRuns(b -> b.executionArn(started.executionArn())).mapRuns());
        assertThrows(ExecutionNotRedrivableException.class, () -> sfn.redriveExecution(b -> b
                .executionArn(started.executionArn())));
    }

    @Test
    void startIsIdempotentByNameAndARunningExecutionStops() throws Exception {
        String machine = machine("slow", SLOW);
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("nap").input("{\"n\": 1}")).executionArn();
        assertEquals(arn, sfn.startExecution(b -> b.stateMachineArn(machine).name("nap").input("{\"n\": 1}")).executionArn());
        assertThrows(ExecutionAlreadyExistsException.class, () -> sfn.startExecution(b -> b.stateMachineArn(machine)
                .name("nap").input("{\"other\": true}")));
        assertEquals(ExecutionStatus.RUNNING, sfn.describeExecution(b -> b.executionArn(arn)).status());
        assertTrue(sfn.stopExecution(b -> b.executionArn(arn).error("Enough").cause("the test stops it")).stopDate()
                != null);
        DescribeExecutionResponse stopped = awaitEnd(arn);
        assertEquals(ExecutionStatus.ABORTED, stopped.status(), stopped::toString);
    }

    @Test
    void executionMistakesGetAwsErrors() {
        String machine = machine("mistakes", GREET);
        assertThrows(InvalidExecutionInputException.class, () -> sfn.startExecution(b -> b.stateMachineArn(machine)
                .input("{not json")));
        assertThrows(InvalidNameException.class, () -> sfn.startExecution(b -> b.stateMachineArn(machine)
                .name("with space")));
        assertThrows(ExecutionDoesNotExistException.class, () -> sfn.describeExecution(b -> b.executionArn(
                "arn:dmap:states:local:000000000000:execution:mistakes:never")));
        assertThrows(ExecutionDoesNotExistException.class, () -> sfn.getExecutionHistory(b -> b.executionArn(
                "arn:dmap:states:local:000000000000:execution:mistakes:never")));
        assertThrows(ExecutionDoesNotExistException.class, () -> sfn.listMapRuns(b -> b.executionArn(
                "arn:dmap:states:local:000000000000:execution:mistakes:never")));
        assertThrows(InvalidArnException.class, () -> sfn.describeExecution(b -> b.executionArn("never")));
    }
}
