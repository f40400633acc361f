package io.dmap.planner.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import io.dmap.planner.service.MapRunConflictException;
import io.dmap.planner.service.MapRunNotFoundException;
import io.dmap.planner.service.MapRunService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A finished run's result files, read from S3 by the planner: the browser (the console) downloads them through here
 * and never holds S3 credentials. Only the run's manifest and the files it lists can be read.
 */
@Path("/map-runs/{id}/results")
public class ResultFilesResource {

    private final MapRunService runs;
    private final S3Client s3;

    public ResultFilesResource(MapRunService runs, S3Client s3) {
        this.runs = runs;
        this.s3 = s3;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The result files of a finished run: its manifest and each file (category, key, size) with "
            + "a link to download it through the planner")
    @APIResponse(responseCode = "200", description = "{\"bucket\", \"manifest\": {\"key\", \"href\"}, "
            + "\"files\": [{\"category\", \"key\", \"size\", \"href\"}]}")
    @APIResponse(responseCode = "404", description = "no such run, or it writes no results (no ResultWriter)")
    @APIResponse(responseCode = "409", description = "the run has not ended: its result files are not written yet")
    public ObjectNode list(@PathParam("id") String id) {
        MapRunStatus.ResultWriterDetails details = details(id);
        JsonNode manifest = manifest(details);
        ObjectNode body = Json.NODES.objectNode().put("mapRunId", id).put("bucket", details.bucket());
        body.putObject("manifest").put("key", details.key()).put("href", href(id, details.key()));
        ArrayNode files = body.putArray("files");
        manifest.path("ResultFiles").fields().forEachRemaining(category -> category.getValue().forEach(f ->
                files.addObject().put("category", category.getKey()).put("key", f.path("Key").asText())
                        .put("size", f.path("Size").asLong()).put("href", href(id, f.path("Key").asText()))));
        return body;
    }

    @GET
    @Path("file")
    @Operation(summary = "Download one result file (or the manifest) of a finished run, by its key")
    @APIResponse(responseCode = "200", description = "the object, as an attachment")
    @APIResponse(responseCode = "404", description = "no such run, or the key is not one of its result files")
    @APIResponse(responseCode = "409", description = "the run has not ended")
    public Response file(@PathParam("id") String id, @QueryParam("key") String key) {
        MapRunStatus.ResultWriterDetails details = details(id);
        Set<String> allowed = new HashSet<>(Set.of(details.key()));
        manifest(details).path("ResultFiles").forEach(category -> category.forEach(f -> allowed.add(f.path("Key").asText())));
        if (key == null || !allowed.contains(key)) {
            throw new MapRunNotFoundException(id, "'" + key + "' is not a result file of map run '" + id + "'");
        }
        ResponseInputStream<GetObjectResponse> object = s3.getObject(b -> b.bucket(details.bucket()).key(key));
        StreamingOutput stream = out -> {
            try (InputStream in = object) {
                in.transferTo(out);
            }
        };
        String filename = key.substring(key.lastIndexOf('/') + 1);
        return Response.ok(stream, MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Length", object.response().contentLength())
                .header("Content-Disposition", "attachment; filename=\"" + filename.replace("\"", "") + "\"")
                .build();
    }

    private MapRunStatus.ResultWriterDetails details(String id) {
        MapRunStatus status = runs.describe(id).orElseThrow(() -> new MapRunNotFoundException(id));
        if (!status.terminal()) {
            throw new MapRunConflictException("map run '" + id + "' has not ended: its result files are written when it does");
        }
        if (status.resultWriterDetails() == null || status.resultWriterDetails().key() == null) {
            throw new MapRunNotFoundException(id, "map run '" + id + "' has no ResultWriter: it writes no result files");
        }
        return status.resultWriterDetails();
    }

    private JsonNode manifest(MapRunStatus.ResultWriterDetails details) {
        try {
            return Json.parse(s3.getObjectAsBytes(b -> b.bucket(details.bucket()).key(details.key())).asUtf8String());
        } catch (NoSuchKeyException e) {
            throw new MapRunNotFoundException(details.key(), "the manifest s3://" + details.bucket() + "/" + details.key()
                    + " is missing");
        }
    }

    static String href(String id, String key) {
        return "/map-runs/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/results/file?key="
                + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }
}
