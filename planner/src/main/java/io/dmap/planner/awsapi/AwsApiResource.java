package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.auth.Roles;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.RunEventPublisher.PublishFailedException;
import io.dmap.planner.service.LimitExceededException;
import io.dmap.planner.workflow.WorkflowException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Map.entry;

/**
 * The AWS Step Functions wire protocol (AWS JSON 1.0): {@code POST /} with {@code X-Amz-Target:
 * AWSStepFunctions.<Operation>}, so the AWS CLI and SDKs work against the planner with {@code --endpoint-url}. Every
 * answer is JSON of type {@code application/x-amz-json-1.0}; an error is {@code {"__type", "message"}} with AWS's name
 * and status. See docs/aws-api.md.
 */
@Path("/")
public class AwsApiResource {

    private static final Logger LOG = Logger.getLogger(AwsApiResource.class);
    static final String TARGET_PREFIX = "AWSStepFunctions.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private record Op(String role, Function<AwsInput, ObjectNode> handler) {
    }

    private final Map<String, Op> operations;
    private final AwsAuth auth;
    private final Instance<SecurityIdentity> identity;
    private final int maxRequestBytes;

    public AwsApiResource(StateMachineOperations machines, ExecutionOperations executions, MapRunOperations mapRuns,
                          AwsAuth auth, Instance<SecurityIdentity> identity, PlannerConfig config) {
        this.auth = auth;
        this.identity = identity;
        this.maxRequestBytes = config.limits().maxRequestBytes();
        String read = Roles.READ;
        String operate = Roles.OPERATE;
        this.operations = Map.ofEntries(
                entry("CreateStateMachine", new Op(operate, machines::create)),
                entry("DescribeStateMachine", new Op(read, machines::describe)),
                entry("ListStateMachines", new Op(read, machines::list)),
                entry("UpdateStateMachine", new Op(operate, machines::update)),
                entry("DeleteStateMachine", new Op(operate, machines::delete)),
                entry("ValidateStateMachineDefinition", new Op(read, machines::validate)),
                entry("StartExecution", new Op(operate, executions::start)),
                entry("DescribeExecution", new Op(read, executions::describe)),
                entry("StopExecution", new Op(operate, executions::stop)),
                entry("ListExecutions", new Op(read, executions::list)),
                entry("RedriveExecution", new Op(operate, executions::redrive)),
                entry("GetExecutionHistory", new Op(read, executions::history)),
                entry("ListMapRuns", new Op(read, executions::listMapRuns)),
                entry("DescribeMapRun", new Op(read, mapRuns::describe)),
                entry("UpdateMapRun", new Op(operate, mapRuns::update)));
    }

    /** The body is read as bytes: the signature covers them exactly as sent. */
    @POST
    @Operation(summary = "The AWS Step Functions API (JSON 1.0, X-Amz-Target: AWSStepFunctions.<Operation>); "
            + "see docs/aws-api.md")
    public Response call(@HeaderParam("X-Amz-Target") String target, @Context HttpHeaders headers,
                         @Context UriInfo uri, byte[] body) {
        String requestId = UUID.randomUUID().toString();
        String operation = target != null && target.startsWith(TARGET_PREFIX)
                ? target.substring(TARGET_PREFIX.length()) : target;
        try {
            Op op = target == null ? null : operations.get(operation);
            if (op == null) {
                throw new AwsError("UnknownOperationException", target == null
                        ? "the X-Amz-Target header is missing: it names the operation (AWSStepFunctions.<Operation>)"
                        : "Unknown operation '" + target + "'; dmap serves " + TARGET_PREFIX + "{"
                          + operations.keySet().stream().sorted().collect(Collectors.joining(", ")) + "}");
            }
            SigV4.Request request = new SigV4.Request("POST", uri.getRequestUri().getRawPath(),
                    uri.getRequestUri().getRawQuery(), headers.getRequestHeaders(), body);
            AwsAuth.Caller caller = auth.authorize(operation, op.role(), request,
                    identity.isResolvable() ? identity.get() : null);
            LOG.debugf("%s by %s (request %s)", operation, caller.name(), requestId);
            if (body != null && body.length > maxRequestBytes) {
                throw new AwsError("ValidationException", "the request of " + operation + " is " + body.length
                        + " bytes, more than " + maxRequestBytes + " (AWS: 1 MB; planner.limits.max-request-bytes)");
            }
            ObjectNode answer = op.handler().apply(AwsInput.parse(operation, body));
            return Response.ok(Json.toString(answer)).type(CONTENT_TYPE).header("x-amzn-RequestId", requestId).build();
        } catch (AwsError e) {
            return error(e.status(), e.type(), e.getMessage(), e.reason(), requestId);
        } catch (WorkflowException e) {
            return error(400, e.type(), e.getMessage(), null, requestId);
        } catch (SpecException e) {
            return error(400, "InvalidDefinition", "Invalid State Machine Definition: '" + e.getMessage() + "'", null,
                    requestId);
        } catch (LimitExceededException e) {
            // AWS's name for the limit (ExecutionLimitExceeded, ValidationException); the JSON protocol answers 400
            return error(400, e.error(), e.getMessage(), null, requestId);
        } catch (PublishFailedException e) {
            LOG.error(operation + ": cannot reach Kafka", e);
            return error(503, "ServiceUnavailable", "the request could not be recorded: " + e.getMessage(), null,
                    requestId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed (request %s)", operation, requestId);
            return error(500, "InternalFailure", operation + " failed: " + e, null, requestId);
        }
    }

    private static Response error(int status, String type, String message, String reason, String requestId) {
        ObjectNode body = Json.NODES.objectNode().put("__type", type).put("message", message);
        if (reason != null) {
            body.put("reason", reason);
        }
        return Response.status(status).type(CONTENT_TYPE).header("x-amzn-RequestId", requestId)
                .header("x-amzn-ErrorType", type).entity(Json.toString(body)).build();
    }
}
