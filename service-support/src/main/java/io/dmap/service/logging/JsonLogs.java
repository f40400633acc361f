package io.dmap.service.logging;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.dmap.service.DmapConfig;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.JsonFormatter;

import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * {@code dmap.log.json=true}: the console log becomes one JSON object a line (JBoss LogManager's own
 * {@link JsonFormatter}: timestamp, level, loggerName, message, threadName, the MDC with mapRunId / batchIndex /
 * redriveCount and, with tracing on, traceId / spanId, and the exception), for log shippers. The
 * quarkus-logging-json extension is not available at dmap's Quarkus version here, so the formatter is set on the
 * console handler at startup: the lines Quarkus prints while it boots stay plain text.
 */
@ApplicationScoped
public class JsonLogs {

    private final boolean json;

    public JsonLogs(DmapConfig config) {
        this.json = config.log().json();
    }

    void switchConsole(@Observes StartupEvent event) {
        if (json) {
            int switched = switchConsole();
            Logger.getLogger(JsonLogs.class.getName()).info("console log in JSON (dmap.log.json), " + switched + " handler(s)");
        }
    }

    /** Sets the JSON formatter on every console handler under the root logger; returns how many. */
    static int switchConsole() {
        JsonFormatter formatter = new JsonFormatter();
        formatter.setPrintDetails(false);
        int n = 0;
        for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) {
            n += switchConsole(h, formatter);
        }
        return n;
    }

    private static int switchConsole(Handler handler, JsonFormatter formatter) {
        if (handler instanceof org.jboss.logmanager.handlers.ConsoleHandler) {
            handler.setFormatter(formatter);
            return 1;
        }
        int n = 0;
        if (handler instanceof ExtHandler ext) { // Quarkus's delayed handler holds the real ones
            for (Handler child : ext.getHandlers()) {
                n += switchConsole(child, formatter);
            }
        }
        return n;
    }
}
