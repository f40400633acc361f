package io.dmap.service.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import io.dmap.asl.ExecutionContext;
import io.dmap.asl.ExecutionResult;
import io.dmap.asl.StateMachineInterpreter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** aws-sdk:s3 Task states against the real S3 server of the test infrastructure. ({@code ^} in test JSON is a single quote.) */
@ExtendWith(DmapInfraExtension.class)
class S3TaskTest {

    private static final String S3 = "arn:aws:states:::aws-sdk:s3:";

    @Test
    void putGetHeadAndCopy(DmapInfra infra) {
        String bucket = "worker-s3-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
        StateMachineInterpreter interpreter = new StateMachineInterpreter(new TaskResources(null, null, new S3Actions(infra.s3(), io.dmap.service.BucketGuard.ANY)));
        JsonNode machine = json("{'StartAt':'Put','States':{"
                + "'Put':{'Type':'Task','Resource':'" + S3 + "putObject','Parameters':{'Bucket':'" + bucket + "',"
                + "'Key.$':'States.Format(^out/{}.json^, $.id)','Body.$':'$.doc'},'ResultPath':null,'Next':'Copy'},"
                + "'Copy':{'Type':'Task','Resource':'" + S3 + "copyObject','Parameters':{'Bucket':'" + bucket + "',"
                + "'Key':'copy.json','CopySource.$':'States.Format(^" + bucket + "/out/{}.json^, $.id)'},'ResultPath':null,'Next':'Head'},"
                + "'Head':{'Type':'Task','Resource':'" + S3 + "headObject','Parameters':{'Bucket':'" + bucket + "','Key':'copy.json'},"
                + "'ResultSelector':{'size.$':'$.ContentLength'},'ResultPath':'$.head','Next':'Get'},"
                + "'Get':{'Type':'Task','Resource':'" + S3 + "getObject','Parameters':{'Bucket':'" + bucket + "','Key':'copy.json'},"
                + "'ResultSelector':{'doc.$':'States.StringToJson($.Body)'},'ResultPath':'$.got','End':true}}}");
        ExecutionResult r = interpreter.run(machine, json("{'id':7,'doc':{'a':[1,2]}}"), ExecutionContext.of("s3-1"));
        assertEquals(ExecutionResult.Status.SUCCEEDED, r.status(), String.valueOf(r));
        assertEquals(json("{'a':[1,2]}"), r.output().get("got").get("doc"));
        assertEquals(11, r.output().get("head").get("size").asInt());
        assertEquals("{\"a\":[1,2]}", infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key("out/7.json")).asUtf8String());
    }

    @Test
    void aMissingObjectIsAnS3ErrorThatCanBeCaught(DmapInfra infra) {
        String bucket = "worker-s3-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
        infra.s3().putObject(b -> b.bucket(bucket).key("present"), RequestBody.fromString("x"));
        StateMachineInterpreter interpreter = new StateMachineInterpreter(new TaskResources(null, null, new S3Actions(infra.s3(), io.dmap.service.BucketGuard.ANY)));
        ExecutionResult r = interpreter.run(json("{'StartAt':'G','States':{'G':{'Type':'Task','Resource':'" + S3 + "getObject',"
                + "'Parameters':{'Bucket':'" + bucket + "','Key':'absent'},'Catch':[{'ErrorEquals':['S3.NoSuchKeyException'],"
                + "'ResultPath':'$.err','Next':'Done'}],'End':true},'Done':{'Type':'Pass','OutputPath':'$.err.Error','End':true}}}"),
                json("{}"), ExecutionContext.of("s3-2"));
        assertEquals(Json.NODES.textNode("S3.NoSuchKeyException"), r.output(), String.valueOf(r));
    }

    @Test
    void aBucketOutsideTheAllowedOnesFailsTheChildBeforeAnyRequest(DmapInfra infra) {
        String allowed = "tasks-ok-" + UUID.randomUUID().toString().substring(0, 8);
        String denied = "tasks-other-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(allowed);
        infra.createBucket(denied);
        infra.s3().putObject(b -> b.bucket(denied).key("secret.json"), RequestBody.fromString("{}"));
        StateMachineInterpreter interpreter = new StateMachineInterpreter(new TaskResources(null, null,
                new S3Actions(infra.s3(), new io.dmap.service.BucketGuard(java.util.Optional.of(java.util.List.of("tasks-ok-*"))))));
        ExecutionResult get = interpreter.run(json("{'StartAt':'G','States':{'G':{'Type':'Task','Resource':'" + S3 + "getObject',"
                + "'Parameters':{'Bucket':'" + denied + "','Key':'secret.json'},'End':true}}}"), json("{}"), ExecutionContext.of("s3-3"));
        assertEquals("States.TaskFailed", get.error(), String.valueOf(get));
        assertEquals("S3 getObject on bucket '" + denied + "' refused: it is not in dmap.s3.allowed-buckets (tasks-ok-*)", get.cause());
        ExecutionResult copy = interpreter.run(json("{'StartAt':'C','States':{'C':{'Type':'Task','Resource':'" + S3 + "copyObject',"
                + "'Parameters':{'Bucket':'" + allowed + "','Key':'stolen.json','CopySource':'/" + denied + "/secret.json'},'End':true}}}"),
                json("{}"), ExecutionContext.of("s3-4"));
        assertEquals("States.TaskFailed", copy.error(), String.valueOf(copy));
        assertTrue(copy.cause().contains(denied), copy.cause());
        assertTrue(infra.s3().listObjectsV2(b -> b.bucket(allowed)).contents().isEmpty(), "nothing was copied");
        ExecutionResult put = interpreter.run(json("{'StartAt':'P','States':{'P':{'Type':'Task','Resource':'" + S3 + "putObject',"
                + "'Parameters':{'Bucket':'" + allowed + "','Key':'ok.json','Body':'{}'},'End':true}}}"), json("{}"), ExecutionContext.of("s3-5"));
        assertEquals(ExecutionResult.Status.SUCCEEDED, put.status(), String.valueOf(put));
    }

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"').replace('^', '\''));
    }
}
