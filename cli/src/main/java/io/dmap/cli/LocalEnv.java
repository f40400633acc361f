package io.dmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The endpoints of a running `./dmap up`: environment variables first, then the `export` lines of {@code .dmap/env}. */
record LocalEnv(Map<String, String> values) {

    static LocalEnv read(Path home) throws IOException {
        Map<String, String> values = new HashMap<>();
        Path file = home.resolve("env");
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("export ") && line.contains("=")) {
                    String assignment = line.substring("export ".length());
                    int eq = assignment.indexOf('=');
                    values.put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
                }
            }
        }
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("DMAP_") || k.startsWith("AWS_")) {
                values.put(k, v);
            }
        });
        return new LocalEnv(values);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
