package io.dmap.service.logging;

import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLogContextTest {

    @Test
    void aBatchContextInsideARunContextIsUndoneOnClose() {
        try (RunLogContext run = RunLogContext.run("run-1")) {
            assertEquals("run-1", MDC.get(RunLogContext.MAP_RUN_ID));
            assertNull(MDC.get(RunLogContext.BATCH_INDEX));
            try (RunLogContext batch = RunLogContext.batch("run-1", 7, 2)) {
                assertEquals("7", MDC.get(RunLogContext.BATCH_INDEX));
                assertEquals("2", MDC.get(RunLogContext.REDRIVE_COUNT));
            }
            assertEquals("run-1", MDC.get(RunLogContext.MAP_RUN_ID));
            assertNull(MDC.get(RunLogContext.BATCH_INDEX));
        }
        assertNull(MDC.get(RunLogContext.MAP_RUN_ID));
    }

    @Test
    void theServicesLogFormatPrintsTheContext() {
        // the format of the services' application.properties
        PatternFormatter format = new PatternFormatter("%-5p (%t) %X %s%n");
        try (RunLogContext batch = RunLogContext.batch("run-2", 3, 0)) {
            String line = format.format(new ExtLogRecord(Level.INFO, "run already finished, not started", "x"));
            assertEquals("INFO  (main) {batchIndex=3, mapRunId=run-2, redriveCount=0} run already finished, not started\n",
                    line.replace("(" + Thread.currentThread().getName() + ")", "(main)"));
        }
    }

    @Test
    void jsonLogsSwitchTheConsoleHandlerAndCarryTheContext() {
        ConsoleHandler console = new ConsoleHandler(new PatternFormatter("%s%n"));
        LogContext.getLogContext().getLogger("").addHandler(console);
        try {
            assertTrue(JsonLogs.switchConsole() >= 1);
            JsonFormatter json = assertInstanceOf(JsonFormatter.class, console.getFormatter());
            try (RunLogContext batch = RunLogContext.batch("run-3", 5, 1)) {
                String line = json.format(new ExtLogRecord(Level.WARNING, "outcome too large", "x"));
                assertTrue(line.startsWith("{") && line.contains("\"message\":\"outcome too large\"")
                        && line.contains("\"mdc\":{") && line.contains("\"mapRunId\":\"run-3\"")
                        && line.contains("\"batchIndex\":\"5\""), line);
            }
        } finally {
            LogContext.getLogContext().getLogger("").removeHandler(console);
        }
    }
}
