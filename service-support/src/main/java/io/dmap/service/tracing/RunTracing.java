package io.dmap.service.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * dmap's traces: a span for planning a map run (planner) and one for each child execution (worker), its child, with
 * the W3C trace context ({@code traceparent}) carried in the Kafka headers of the records between them: map-batches
 * (planner → worker) and map-outcomes (worker → aggregator). Spans carry {@code dmap.map_run.id} and, for a child
 * execution, {@code dmap.batch.index} and {@code dmap.redrive.count}, so a map run's executions are found by its id.
 *
 * <p>With tracing off (Quarkus's {@code quarkus.otel.sdk.disabled=true}, dmap's default) the spans are no-ops and no
 * header is written: nothing is exported and nothing goes over the network.
 */
public final class RunTracing {

    public static final RunTracing OFF = new RunTracing(OpenTelemetry.noop());
    public static final AttributeKey<String> MAP_RUN_ID = AttributeKey.stringKey("dmap.map_run.id");
    public static final AttributeKey<Long> BATCH_INDEX = AttributeKey.longKey("dmap.batch.index");
    public static final AttributeKey<Long> REDRIVE_COUNT = AttributeKey.longKey("dmap.redrive.count");

    private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();
    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };
    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;

    public RunTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.dmap");
    }

    /** Planning a map run: make it current while batches are published, so that they carry it. */
    public Span planning(String mapRunId) {
        return tracer.spanBuilder("dmap plan map run").setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MAP_RUN_ID, mapRunId).startSpan();
    }

    /** One child execution (a batch), a child of {@code parent} (the context its batch record carried). */
    public Span childExecution(Context parent, String mapRunId, long batchIndex, int redriveCount) {
        return tracer.spanBuilder("dmap child execution").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MAP_RUN_ID, mapRunId).setAttribute(BATCH_INDEX, batchIndex)
                .setAttribute(REDRIVE_COUNT, (long) redriveCount).startSpan();
    }

    /** Writes the current trace context into a record's headers (nothing when there is no sampled span). */
    public static void inject(Headers headers) {
        PROPAGATOR.inject(Context.current(), headers, SETTER);
    }

    /** The trace context a record carries; the root context when it carries none. */
    public static Context extract(Headers headers) {
        return PROPAGATOR.extract(Context.root(), headers, GETTER);
    }
}
