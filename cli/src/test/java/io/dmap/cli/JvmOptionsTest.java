package io.dmap.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JvmOptionsTest {

    private static final List<String> BASE = LocalCluster.DEFAULT_JVM_OPTIONS;

    @Test
    void noExtraOptionsLeaveTheDefaults() {
        assertEquals(BASE, LocalCluster.withOptions(BASE, null));
        assertEquals(BASE, LocalCluster.withOptions(BASE, "   "));
        assertEquals(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), BASE);
    }

    @Test
    void extraOptionsComeLastSoThatTheyWin() {
        assertEquals(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-XX:TieredStopAtLevel=4", "-Xmx1g"),
                LocalCluster.withOptions(BASE, " -XX:TieredStopAtLevel=4   -Xmx1g "));
    }

    @Test
    void aCollectorNamedThereReplacesTheSerialOne() {
        assertEquals(List.of("-Xms64m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseG1GC"),
                LocalCluster.withOptions(BASE, "-XX:+UseG1GC"));
    }
}
