package dev.pipeline.provision.loadbalancer;

/**
 * One registered target's health as the target group sees it.
 *
 * @param state  initial, healthy, unhealthy, unused, draining, unavailable
 * @param reason ELB's reason code (e.g. Target.FailedHealthChecks), or null
 */
public record TargetHealth(String instanceId, String state, String reason, String description) {

    public boolean healthy() {
        return "healthy".equals(state);
    }
}
