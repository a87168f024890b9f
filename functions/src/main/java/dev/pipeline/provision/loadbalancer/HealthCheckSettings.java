package dev.pipeline.provision.loadbalancer;

import dev.pipeline.spec.HealthCheck;

/**
 * A target group's health check as ELB stores it. The pipeline always checks HTTP on the traffic port (Tomcat's
 * 8080), the port the app security group already opens to the load balancer, so no extra rule is needed.
 */
public record HealthCheckSettings(String protocol, String port, String path, int intervalSeconds, int timeoutSeconds,
                                  int healthyThreshold, int unhealthyThreshold, String matcher) {

    public static final String TRAFFIC_PORT = "traffic-port";

    public static HealthCheckSettings of(HealthCheck h) {
        return new HealthCheckSettings("HTTP", TRAFFIC_PORT, h.path(), h.intervalSeconds(), h.timeoutSeconds(),
                h.healthyThreshold(), h.unhealthyThreshold(), h.successCodes());
    }

    /** For a change list: "health check /login every 15 s (200)". */
    public String describe() {
        return "health check " + protocol + " " + path + " every " + intervalSeconds + " s, timeout " + timeoutSeconds
                + " s, healthy after " + healthyThreshold + ", unhealthy after " + unhealthyThreshold + ", codes " + matcher;
    }
}
