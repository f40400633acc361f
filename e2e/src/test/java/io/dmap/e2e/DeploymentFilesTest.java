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
        assertTrue(services.keySet().containsAll(List.of("kafka", "s3", "planner", "worker", "aggregator")), services.keySet()::toString);
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

    /** Every image is pinned to a released tag (never latest, never none); every long-running service has a healthcheck. */
    @Test
    void composeImagesArePinnedAndEveryServerHasAHealthcheck() throws IOException {
        Map<String, Object> compose;
        try (Reader r = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(r);
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertTrue(!text.contains("minio/"), "MinIO's images are gone from Docker Hub");
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            Object image = e.getValue().get("image");
            if (image != null) {
                assertPinned(e.getKey(), image.toString());
            } else {
                assertTrue(e.getValue().containsKey("build"), e.getKey() + " has neither image nor build");
            }
            boolean oneShot = e.getValue().containsKey("entrypoint") && !e.getValue().containsKey("healthcheck")
                    && services.values().stream().anyMatch(other -> String.valueOf(other.get("depends_on"))
                    .contains(e.getKey() + "={condition=service_completed_successfully}"));
            assertTrue(oneShot || e.getValue().containsKey("healthcheck"), e.getKey() + " has no healthcheck");
        }
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            if (line.startsWith("FROM ")) {
                assertPinned("Dockerfile", line.substring(5).split("\\s+")[0]);
            }
        }
    }

    static void assertPinned(String where, String image) {
        int colon = image.lastIndexOf(':');
        assertTrue(colon > image.lastIndexOf('/'), where + ": " + image + " has no tag");
        String tag = image.substring(colon + 1);
        assertTrue(!tag.equals("latest") && tag.matches(".*\\d+\\.\\d+.*"), where + ": " + image + " is not pinned to a release");
    }

    /** Kubernetes: non-root read-only pods with requests, a disruption budget each, secrets only from Secrets. */
    @Test
    @SuppressWarnings("unchecked")
    void kubernetesPodsAreHardened() throws IOException {
        Path base = ROOT.resolve("deploy/base");
        Map<String, Object> budgets = new LinkedHashMap<>();
        for (Object doc : new Yaml().loadAll(Files.readString(base.resolve("disruption-budgets.yaml")))) {
            Map<String, Object> d = (Map<String, Object>) doc;
            assertEquals("PodDisruptionBudget", d.get("kind"));
            budgets.put(String.valueOf(((Map<String, Object>) d.get("metadata")).get("name")), d);
        }
        assertTrue(Files.readString(base.resolve("kustomization.yaml")).contains("disruption-budgets.yaml"));
        for (String service : SERVICES) {
            assertTrue(budgets.containsKey("dmap-" + service), "no PodDisruptionBudget for " + service);
            Map<String, Object> deployment = null;
            for (Object doc : new Yaml().loadAll(Files.readString(base.resolve(service + ".yaml")))) {
                if ("Deployment".equals(((Map<String, Object>) doc).get("kind"))) {
                    deployment = (Map<String, Object>) doc;
                }
            }
            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    deployment.get("spec")).get("template")).get("spec");
            Map<String, Object> podSecurity = (Map<String, Object>) pod.get("securityContext");
            assertEquals(Boolean.TRUE, podSecurity.get("runAsNonRoot"), service);
            for (Object c : (List<Object>) pod.get("containers")) {
                Map<String, Object> container = (Map<String, Object>) c;
                Map<String, Object> security = (Map<String, Object>) container.get("securityContext");
                assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"), service);
                assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"), service);
                Map<String, Object> requests = (Map<String, Object>) ((Map<String, Object>) container.get("resources")).get("requests");
                assertTrue(requests.containsKey("cpu") && requests.containsKey("memory"), service + " has no resource requests");
                String envFrom = String.valueOf(container.get("envFrom"));
                assertTrue(envFrom.contains("secretRef={name=dmap-s3") && envFrom.contains("secretRef={name=dmap-kafka"), envFrom);
            }
        }
        String configMap = Files.readString(base.resolve("configmap.yaml")).toUpperCase();
        for (String secret : List.of("SECRET_KEY:", "PASSWORD:", "JAAS_CONFIG:")) {
            assertTrue(!configMap.contains(secret), "the ConfigMap holds a secret: " + secret);
        }
        assertTrue(configMap.contains("KAFKA_SECURITY_PROTOCOL: SSL"), "the manifests reach Kafka over TLS");
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
