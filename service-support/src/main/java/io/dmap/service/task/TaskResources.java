package io.dmap.service.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.asl.TaskResource;

/**
 * The Task resources a worker can call itself: {@code arn:aws:states:::http:invoke}, {@code arn:aws:states:::lambda:invoke}
 * (and plain Lambda function ARNs), {@code arn:aws:states:::aws-sdk:s3:<action>}.
 */
public final class TaskResources implements TaskResource {

    public static final String HTTP_INVOKE = "arn:aws:states:::http:invoke";
    public static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    public static final String LAMBDA_ARN_PREFIX = "arn:aws:lambda:";
    public static final String S3_PREFIX = "arn:aws:states:::aws-sdk:s3:";

    private final HttpInvoke http;
    private final LambdaInvoke lambda;
    private final S3Actions s3;

    public TaskResources(HttpInvoke http, LambdaInvoke lambda, S3Actions s3) {
        this.http = http;
        this.lambda = lambda;
        this.s3 = s3;
    }

    @Override
    public JsonNode invoke(String resource, JsonNode parameters) throws Exception {
        if (resource.equals(HTTP_INVOKE)) {
            return http.invoke(parameters);
        }
        if (resource.equals(LAMBDA_INVOKE)) {
            return lambda.invoke(parameters);
        }
        if (resource.startsWith(LAMBDA_ARN_PREFIX)) {
            return lambda.invokeFunction(resource, parameters);
        }
        if (resource.startsWith(S3_PREFIX)) {
            if (s3 == null) {
                throw StatesError.runtime("S3 is not configured on this worker");
            }
            return s3.invoke(resource.substring(S3_PREFIX.length()), parameters);
        }
        throw StatesError.runtime("Unsupported Task resource '" + resource + "' (dmap runs " + HTTP_INVOKE + ", "
                + LAMBDA_INVOKE + " and " + S3_PREFIX + "getObject/headObject/copyObject/putObject)");
    }
}
