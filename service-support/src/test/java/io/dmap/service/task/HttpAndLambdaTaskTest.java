package io.dmap.service.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.asl.ExecutionContext;
import io.dmap.asl.ExecutionResult;
import io.dmap.asl.StateMachineInterpreter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import static io.dmap.service.task.LocalHttpServer.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** http:invoke and lambda:invoke Task states against a real HTTP server on loopback. */
class HttpAndLambdaTaskTest {

    private LocalHttpServer server;
    private StateMachineInterpreter interpreter;

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer()
                .on("/echo", (ex, body) -> reply(ex, 200, "application/json",
                        "{\"method\":\"" + ex.getRequestMethod() + "\",\"query\":\"" + ex.getRequestURI().getRawQuery()
                                + "\",\"body\":" + (body.isEmpty() ? "null" : Json.toString(body)) + "}"))
                .on("/text", (ex, body) -> reply(ex, 200, "text/plain", "plain words"))
                .on("/to-text", (ex, body) -> {
                    ex.getResponseHeaders().add("Location", "/text");
                    reply(ex, 302, "text/plain", "");
                })
                .on("/to-metadata", (ex, body) -> {
                    ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/iam/");
                    reply(ex, 302, "text/plain", "");
                })
                .on("/missing", (ex, body) -> reply(ex, 404, "application/json", "{\"message\":\"no such thing\"}"))
                .on("/slow", (ex, body) -> {
                    try {
                        Thread.sleep(5000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    reply(ex, 200, "application/json", "{}");
                })
                .on("/fn/double", (ex, body) -> reply(ex, 200, "application/json",
                        "{\"doubled\":" + 2 * Json.parse(body).path("n").asInt() + "}"))
                .on("/fn/broken", (ex, body) -> reply(ex, 200, "application/json",
                        "{\"errorType\":\"ValueError\",\"errorMessage\":\"n must be positive\"}"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        OutboundGuard loopbackAllowed = new OutboundGuard(java.util.List.of(), true, false); // the test server is on loopback
        interpreter = new StateMachineInterpreter(new TaskResources(new HttpInvoke(http, Duration.ofSeconds(3), loopbackAllowed),
                new LambdaInvoke(http, Map.of("double", server.url("/fn/double"), "broken", server.url("/fn/broken")),
                        loopbackAllowed),
                null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ExecutionResult task(String resource, String parameters, String extra, String input) {
        JsonNode machine = json("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'" + resource + "',"
                + "'Parameters':" + parameters + extra + ",'End':true}}}");
        return interpreter.run(machine, json(input), ExecutionContext.of("exec-1"));
    }

    @Test
    void httpInvokeSendsMethodHeadersQueryAndBodyAndParsesTheJsonResponse() {
        ExecutionResult r = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + server.url("/echo") + "',"
                + "'Method':'POST','Headers':{'X-Test':'yes'},'QueryParameters':{'q':'a b','n':1},"
                + "'RequestBody':{'item.$':'$.item'}}", "", "{'item':'x'}");
        assertEquals(ExecutionResult.Status.SUCCEEDED, r.status(), String.valueOf(r));
        assertEquals(200, r.output().get("StatusCode").asInt());
        assertEquals("OK", r.output().get("StatusText").asText());
        assertEquals(json("{'method':'POST','query':'q=a+b&n=1','body':'{\\\"item\\\":\\\"x\\\"}'}"), r.output().get("ResponseBody"));
        assertTrue(r.output().get("Headers").has("content-type"), r.output().toString());
        LocalHttpServer.Request sent = server.requests.get(0);
        assertEquals("yes", sent.header());
        assertEquals("application/json", sent.contentType());
    }

    @Test
    void httpInvokeKeepsANonJsonBodyAsText() {
        ExecutionResult r = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + server.url("/text") + "','Method':'GET'}",
                ",'ResultSelector':{'body.$':'$.ResponseBody'}", "{}");
        assertEquals(json("{'body':'plain words'}"), r.output());
    }

    @Test
    void httpInvokeFailsWithTheStatusCodeErrorOutside2xx() {
        ExecutionResult r = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + server.url("/missing") + "','Method':'GET'}",
                "", "{}");
        assertEquals("States.Http.StatusCode.404", r.error());
        assertTrue(r.cause().contains("no such thing"), r.cause());
    }

    @Test
    void aConnectionFailureIsTaskFailedAndATimeoutIsStatesTimeout() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ExecutionResult r = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'http://127.0.0.1:" + closedPort
                + "/x','Method':'GET'}", "", "{}");
        assertEquals("States.TaskFailed", r.error());
        assertTrue(r.cause().contains("127.0.0.1:" + closedPort), r.cause());

        r = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + server.url("/slow") + "','Method':'GET'}",
                ",'TimeoutSeconds':1", "{}");
        assertEquals("States.Timeout", r.error());
        r = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + server.url("/slow") + "','Method':'GET'}", "", "{}");
        assertEquals("States.Timeout", r.error(), "the request timeout (3 s here) ends a hanging call");
    }

    @Test
    void lambdaInvokePostsThePayloadAndWrapsTheResponse() {
        ExecutionResult r = task("arn:aws:states:::lambda:invoke", "{'FunctionName':'double','Payload':{'n.$':'$.n'}}",
                ",'ResultSelector':{'out.$':'$.Payload.doubled','code.$':'$.StatusCode'}", "{'n':21}");
        assertEquals(json("{'out':42,'code':200}"), r.output());
        r = task("arn:aws:states:::lambda:invoke",
                "{'FunctionName':'arn:aws:lambda:us-east-1:123456789012:function:double:$LATEST','Payload':{'n':1}}",
                ",'OutputPath':'$.Payload'", "{}");
        assertEquals(json("{'doubled':2}"), r.output());
    }

    @Test
    void aLambdaErrorBodyBecomesTheTaskErrorAndCanBeCaught() {
        ExecutionResult r = task("arn:aws:states:::lambda:invoke", "{'FunctionName':'broken','Payload':{}}", "", "{}");
        assertEquals(ExecutionResult.failed("ValueError", "n must be positive"), r);
        r = task("arn:aws:states:::lambda:invoke", "{'FunctionName':'broken','Payload':{}}",
                ",'Catch':[{'ErrorEquals':['ValueError'],'Next':'T2'}]", "{}");
        assertEquals(ExecutionResult.Status.FAILED, r.status()); // T2 does not exist: the definition is invalid
        assertEquals("States.Runtime", r.error());
    }

    @Test
    void anUnknownFunctionOrResourceFails() {
        assertEquals("Lambda.ResourceNotFoundException",
                task("arn:aws:states:::lambda:invoke", "{'FunctionName':'nope'}", "", "{}").error());
        assertEquals("States.Runtime", task("arn:aws:states:::sqs:sendMessage", "{}", "", "{}").error());
    }

    @Test
    void theCloudMetadataServiceIsRefusedAndOnlyTheChildFails() {
        for (String url : new String[]{"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/",
                "http://169.254.170.2/v2/credentials"}) {
            ExecutionResult r = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + url + "','Method':'GET'}", "", "{}");
            assertEquals("States.TaskFailed", r.error(), url);
            assertTrue(r.cause().contains("refused by the worker's outbound rules")
                    && r.cause().contains("link-local or cloud metadata"), r.cause());
        }
    }

    @Test
    void aRedirectIsFollowedAndItsTargetCheckedAgain() {
        ExecutionResult followed = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + server.url("/to-text") + "','Method':'GET'}",
                ",'ResultSelector':{'body.$':'$.ResponseBody'}", "{}");
        assertEquals(json("{'body':'plain words'}"), followed.output());
        ExecutionResult refused = task("arn:aws:states:::http:invoke", "{'ApiEndpoint':'" + server.url("/to-metadata") + "','Method':'GET'}",
                "", "{}");
        assertEquals("States.TaskFailed", refused.error());
        assertTrue(refused.cause().contains("169.254.169.254"), refused.cause());
    }

    @Test
    void withoutAllowLoopbackTheSameCallsAreRefused() {
        HttpClient http = HttpClient.newBuilder().build();
        StateMachineInterpreter strict = new StateMachineInterpreter(new TaskResources(
                new HttpInvoke(http, Duration.ofSeconds(3), OutboundGuard.DEFAULT),
                new LambdaInvoke(http, Map.of("double", server.url("/fn/double")), OutboundGuard.DEFAULT), null));
        ExecutionResult http1 = strict.run(json("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::http:invoke',"
                + "'Parameters':{'ApiEndpoint':'" + server.url("/text") + "','Method':'GET'},'End':true}}}"), json("{}"),
                ExecutionContext.of("exec-1"));
        assertEquals("States.TaskFailed", http1.error());
        assertTrue(http1.cause().contains("loopback"), http1.cause());
        ExecutionResult lambda = strict.run(json("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
                + "'Parameters':{'FunctionName':'double','Payload':{}},'End':true}}}"), json("{}"), ExecutionContext.of("exec-1"));
        assertEquals("States.TaskFailed", lambda.error());
        assertEquals(0, server.requests.size(), "nothing reached the server");
    }

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }
}
