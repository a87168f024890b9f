package dev.pipeline.local.instances;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where an instance's services listen, as the load balancer and its health checks reach them: the instance
 * model (boot scripts, Tomcat) answers it; the load balancer asks it. An instance whose service is not up
 * (never booted, boot failed, Tomcat stopped) resolves to nothing, and so fails its health checks.
 */
@FunctionalInterface
public interface InstanceEndpoints {
    /** The local address that stands for port {@code port} of instance {@code instanceId}, when something listens there. */
    Optional<InetSocketAddress> resolve(String instanceId, int port);

    /** Nothing listens anywhere. */
    InstanceEndpoints NONE = (instanceId, port) -> Optional.empty();
}
