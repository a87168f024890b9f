package dev.pipeline.provision.instances;

import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.List;

/** The {@code pipeline:component} tag values of this package's instances. */
public final class Components {
    /** The Tomcat server the golden image is made from. */
    public static final String APP_SERVER = "app01";
    public static final List<Role> BACKENDS = List.of(Role.DB, Role.MC, Role.RMQ);

    private Components() {
    }

    /** A backend's component is its host name from the spec ({@code db01}), which is also its DNS name's label. */
    public static String of(EnvironmentSpec spec, Role role) {
        if (role == Role.APP) return APP_SERVER;
        return spec.instance(role).hostname()
                .orElseThrow(() -> new IllegalArgumentException(role + " has no host name in the spec"));
    }
}
