package io.dmap.planner.rest;

import io.dmap.common.spec.SpecException;
import io.dmap.planner.messaging.RunEventPublisher.PublishFailedException;
import io.dmap.planner.service.InvalidParameterException;
import io.dmap.planner.service.LimitExceededException;
import io.dmap.planner.service.MapRunConflictException;
import io.dmap.planner.service.MapRunNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a JSON answer: the user's mistakes into 4xx with the field and the reason, Kafka
 * trouble into 503, and anything unexpected into a logged 500. No input may produce an HTML or empty error.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalidDefinition(SpecException e) {
        return json(400, new ErrorBody("InvalidDefinition", e.field(), e.getMessage(), e.problems()));
    }

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e) {
        return json(400, new ErrorBody("InvalidParameter", e.parameter(), e.parameter() + ": " + e.getMessage()));
    }

    @ServerExceptionMapper
    public Response limitExceeded(LimitExceededException e) {
        return json(e.httpStatus(), ErrorBody.of(e.error(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response notFound(MapRunNotFoundException e) {
        return json(404, ErrorBody.of("ResourceNotFound", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response conflict(MapRunConflictException e) {
        return json(409, ErrorBody.of("Conflict", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unavailable(PublishFailedException e) {
        LOG.error("cannot reach Kafka", e);
        return json(503, ErrorBody.of("ServiceUnavailable", "the request could not be recorded: " + e.getMessage()));
    }

    /** Routing and protocol errors (unknown path, wrong method, unreadable body...) keep their status. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String kind = type == null ? "Error" : type.getReasonPhrase().replace(" ", "");
        return json(status, ErrorBody.of(kind, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return json(500, ErrorBody.of("InternalError", "unexpected failure: " + e.getClass().getSimpleName()
                + "; the planner's log has the details"));
    }

    private static Response json(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
