package io.dmap.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: injects the shared {@link DmapInfra} into test constructors, test methods and lifecycle methods.
 * <pre>{@code
 * @ExtendWith(DmapInfraExtension.class)
 * class MyTest { @Test void t(DmapInfra infra) { ... } }
 * }</pre>
 */
public final class DmapInfraExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DmapInfra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return DmapInfra.shared();
    }
}
