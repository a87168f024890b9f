package dev.pipeline.local.junit;

import dev.pipeline.local.LocalCloud;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.core.SdkClient;

/**
 * Gives every test a running local cloud: one per test JVM (started on first use, stopped when the JVM
 * ends), reset before each test so each test starts from an empty AWS. Resolves test and lifecycle
 * method parameters of type {@link LocalCloud} and of any SDK v2 client type ({@code Ec2Client},
 * {@code SfnClient}...), pointed at the local cloud.
 *
 * <pre>
 * &#64;ExtendWith(LocalCloudExtension.class)
 * class SomethingIT {
 *     &#64;Test void works(LocalCloud cloud, Ec2Client ec2) { ... }
 * }
 * </pre>
 */
public final class LocalCloudExtension implements BeforeEachCallback, ParameterResolver {
    private static LocalCloud shared;

    /** The JVM's local cloud, started on first call. */
    public static synchronized LocalCloud cloud() {
        if (shared == null) {
            try {
                shared = LocalCloud.start(0, new dev.pipeline.local.clock.LocalClock(Double.parseDouble(
                        System.getProperty("pipeline.timeScale", String.valueOf(dev.pipeline.local.clock.LocalClock.TEST_SCALE)))));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("local cloud did not start: " + e.getMessage(), e);
            }
            LocalCloud c = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "local-cloud-stop"));
        }
        return shared;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        cloud().reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == LocalCloud.class || (SdkClient.class.isAssignableFrom(t) && t.isInterface());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        if (t == LocalCloud.class) return cloud();
        try {
            return cloud().client((Class<? extends SdkClient>) t);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException("cannot build a local client of " + t.getName(), e);
        }
    }
}
