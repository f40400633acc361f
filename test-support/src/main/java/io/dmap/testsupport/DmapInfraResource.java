package io.dmap.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Quarkus: points the application under test at the shared {@link DmapInfra}.
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
 * }</pre>
 * {@link #stop()} does nothing: the infrastructure is shared by the whole JVM and stops when it exits.
 */
public final class DmapInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return DmapInfra.shared().serviceConfig();
    }

    @Override
    public void stop() {
        // shared until JVM exit
    }
}
