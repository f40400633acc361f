package io.dmap.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built services are: {@code <repo>/<service>/target/quarkus-app/quarkus-run.jar}. */
public record ServiceJars(Path repoRoot) {

    public static final String PLANNER = "planner";
    public static final String WORKER = "worker";
    public static final String AGGREGATOR = "aggregator";

    /** Finds the repository root from a starting folder by walking up to the folder holding planner/ and worker/. */
    public static ServiceJars locate(Path start) {
        Path dir = start.toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve(PLANNER)) && Files.isDirectory(dir.resolve(WORKER))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return new ServiceJars(dir);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the dmap repository above " + start.toAbsolutePath());
    }

    public Path jar(String service) {
        return repoRoot.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public boolean allBuilt() {
        return Files.isRegularFile(jar(PLANNER)) && Files.isRegularFile(jar(WORKER)) && Files.isRegularFile(jar(AGGREGATOR));
    }
}
