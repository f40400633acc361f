package io.dmap.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's heap holds, asked with the JDK's jcmd: the heap in use right after a full GC (what is retained,
 * unlike RSS, which only shows how far the heap grew) and the top of the class histogram of live objects.
 */
final class Heap {

    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private Heap() {
    }

    /** Bytes in use after a full GC, or -1 when jcmd cannot tell. */
    static long usedAfterFullGc(long pid) {
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** The first {@code rows} rows of the live-object histogram (jcmd GC.class_histogram, which collects first). */
    static String histogram(long pid, int rows) {
        String[] lines = jcmd(pid, "GC.class_histogram").split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, rows + 3); i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
