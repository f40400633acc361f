package io.dmap.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM child process (a dmap service, the Kafka broker or S3Proxy) with its output in a log file.
 * Configuration goes in as system properties, which Quarkus and our launchers read, except secrets (S3 secret
 * keys, passwords, JAAS configurations, tokens): those go in as environment variables (Quarkus's names for them),
 * which only the child's own user can read, while a command line is visible to every local user in {@code ps}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java [jvmOptions] -Dk=v... (-jar jar | -cp classpath mainClass) [args]}. */
    public static ServiceProcess start(String name, List<String> jvmOptions, Map<String, String> properties,
                                       List<String> launch, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        Map<String, String> environment = new java.util.HashMap<>();
        properties.forEach((k, v) -> {
            if (isSecret(k)) {
                environment.put(environmentName(k), v);
            } else {
                command.add("-D" + k + "=" + v);
            }
        });
        command.addAll(launch);
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new ServiceProcess(name, process, logFile);
    }

    /** A property whose value must not appear on a command line. */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        if (k.endsWith(".sha256")) {
            return false; // the hash of an API key, not the key (and a map key SmallRye cannot read from the environment)
        }
        return k.contains("secret") || k.contains("password") || k.contains("jaas") || k.contains("credential")
                || k.contains("token");
    }

    /** The environment variable Quarkus (SmallRye Config) reads for a property: non-alphanumerics become '_', upper case. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** Starts a Quarkus fast-jar ({@code <module>/target/quarkus-app/quarkus-run.jar}). */
    public static ServiceProcess quarkus(String name, Path quarkusRunJar, List<String> jvmOptions,
                                         Map<String, String> properties, Path logFile) throws IOException {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IOException(quarkusRunJar + " is missing: build first with ./mvnw -DskipTests package");
        }
        return start(name, jvmOptions, properties, List.of("-jar", quarkusRunJar.toString()), logFile);
    }

    /** Waits until {@code url} answers 200 (e.g. /q/health/ready); fails early if the process dies. */
    public void awaitHttpOk(URI url, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " was not ready at " + url + " within " + timeout.toSeconds() + " s (" + last + "); see " + log);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Blocks until the process exits; its exit code (137 after SIGKILL). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGKILL: no shutdown hooks, no clean close, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after the grace period. */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(15));
    }
}
