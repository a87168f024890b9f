package dev.pipeline.provision.loadbalancer;

import dev.pipeline.spec.LoadBalancer;
import dev.pipeline.spec.Role;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The target group the seed describes (HTTP to Tomcat on 8080, sticky sessions) and how an existing one differs. */
public final class TargetGroupSettings {

    public static final String PROTOCOL = "HTTP";
    public static final int PORT = Role.APP.port();
    public static final String TARGET_TYPE = "instance";

    /**
     * Seconds ELB keeps sending in-flight requests to a deregistering instance. AWS's default of 300 s would hold
     * every instance refresh batch (and every scale-in) five minutes per instance; Tomcat requests finish in well
     * under a second, and sessions live on the instance, so a longer drain saves nobody's session anyway.
     */
    public static final int DEREGISTRATION_DELAY_SECONDS = 30;

    private TargetGroupSettings() {}

    /** Sticky sessions with the load balancer's own cookie, for the spec's duration, and the short drain. */
    public static Map<String, String> attributes(LoadBalancer lb) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("stickiness.enabled", "true");
        a.put("stickiness.type", "lb_cookie");
        a.put("stickiness.lb_cookie.duration_seconds", Integer.toString(lb.stickinessSeconds()));
        a.put("deregistration_delay.timeout_seconds", Integer.toString(DEREGISTRATION_DELAY_SECONDS));
        return a;
    }

    /**
     * Why an existing target group cannot be converged: protocol, port, VPC and target type are fixed at creation.
     * A wrong port is the seed's own troubleshooting story (the default 80 instead of Tomcat's 8080).
     */
    public static Optional<String> conflict(TargetGroupView tg, String vpcId) {
        if (!PROTOCOL.equals(tg.protocol()) || tg.port() != PORT) {
            return Optional.of("target group " + tg.name() + " sends " + tg.protocol() + " to port " + tg.port()
                    + ", but Tomcat listens on " + PROTOCOL + " " + PORT + "; ELB cannot change that in place: delete the "
                    + "target group (and its listeners) and run provisioning again");
        }
        if (!vpcId.equals(tg.vpcId())) {
            return Optional.of("target group " + tg.name() + " is in " + tg.vpcId() + ", not in the spec's VPC " + vpcId);
        }
        if (!TARGET_TYPE.equals(tg.targetType())) {
            return Optional.of("target group " + tg.name() + " has target type " + tg.targetType() + ", not " + TARGET_TYPE);
        }
        return Optional.empty();
    }
}
