package io.dmap.e2e;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the deployment files honest without a Docker engine: docker-compose.yml sets only variables that the
 * README's configuration table documents, and every key in that table is read by the service that claims it
 * (a literal in its application.properties, or a method of a @ConfigMapping interface in its sources or in
 * service-support).
 */
class DeploymentFilesTest {

    static final Path ROOT = Path.of(System.getProperty("dmap.repo.root", "..")).toAbsolutePath().normalize();
    static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (?:`([A-Z0-9_]+)`)? *\\|[^|]*\\| ([a-z, ]+) \\|");
    static final List<String> SERVICES = List.of("planner", "worker", "aggregator");

    record Documented(String key, String env, List<String> services) {
    }

    static Map<String, Documented> configTable() throws IOException {
        Map<String, Documented> byEnv = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                String services = m.group(3).trim();
                List<String> list = services.equals("all") ? SERVICES : List.of(services.split(",\\s*"));
                byEnv.put(m.group(2) == null ? m.group(1) : m.group(2), new Documented(m.group(1), m.group(2), list));
            }
        }
        return byEnv;
    }

    @Test
    void composeSetsOnlyDocumentedVariablesAndHasHealthChecks() throws IOException {
        Map<String, Documented> table = configTable();
        Map<String, Object> compose;
        try (Reader r = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(r);
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertTrue(services.keySet().containsAll(List.of("kafka", "minio", "planner", "worker", "aggregator")), services.keySet()::toString);
        for (String service : SERVICES) {
            Map<String, Object> def = services.get(service);
            assertTrue(def.containsKey("healthcheck"), service + " has no healthcheck");
            assertTrue(def.containsKey("depends_on"), service + " has no depends_on");
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) def.get("environment");
            for (String variable : env.keySet()) {
                Documented d = table.get(variable);
                assertTrue(d != null, service + " sets " + variable + ", which the README's configuration table does not document");
                assertTrue(d.services().contains(service), service + " sets " + variable + ", which only " + d.services() + " read");
            }
        }
    }

    /** Where Debian's docker-compose is installed (no Docker engine needed), compose itself must accept the file. */
    @Test
    void dockerComposeConfigAcceptsTheFile() throws Exception {
        Path compose = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "docker-compose")).filter(Files::isExecutable).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(compose != null, "docker-compose is not installed here");
        Process p = new ProcessBuilder(compose.toString(), "-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "docker-compose config rejected docker-compose.yml: " + output);
    }

    @Test
    void everyDocumentedKeyIsReadByItsServices() throws IOException {
        Map<String, Documented> table = configTable();
        assertTrue(table.size() > 20, "the configuration table was not found in README.md");
        List<String> unread = new ArrayList<>();
        for (Documented d : table.values()) {
            for (String service : d.services()) {
                if (!readBy(service, d.key())) {
                    unread.add(d.key() + " (" + service + ")");
                }
            }
        }
        assertEquals(List.of(), unread, "documented keys that the service does not read");
    }

    @Test
    void environmentVariableNamesFollowQuarkusRules() throws IOException {
        for (Documented d : configTable().values()) {
            if (d.env() != null) {
                assertEquals(d.key().toUpperCase().replaceAll("[^A-Z0-9]", "_"), d.env(), d.key());
            }
        }
    }

    /** A literal key in the service's properties, or a @ConfigMapping(prefix = first segment) with a method for the last. */
    static boolean readBy(String service, String key) throws IOException {
        Path module = ROOT.resolve(service);
        String props = Files.readString(module.resolve("src/main/resources/application.properties"));
        if (Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=").matcher(props).find() || key.startsWith("quarkus.http.")) {
            return true;
        }
        String[] parts = key.split("\\.");
        String prefix = parts[0];
        String last = parts[parts.length - 1].replace("\"<name>\"", "").isEmpty() ? parts[parts.length - 2] : parts[parts.length - 1];
        String method = camel(last) + "(";
        // the service's own sources, and service-support, which every service builds on
        try (Stream<Path> files = Stream.concat(Files.walk(module.resolve("src/main/java")),
                Files.walk(ROOT.resolve("service-support/src/main/java")))) {
            return files.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> {
                try {
                    String src = Files.readString(p);
                    return src.contains("@ConfigMapping(prefix = \"" + prefix + "\")") && src.contains(method);
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    static String camel(String kebab) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
