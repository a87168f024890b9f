package dev.pipeline.provision.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run, the launch template and the target group. */
public record ProvisionAutoScalingGroupInput(JsonNode spec, Run run, LaunchTemplate launchTemplate, LoadBalancer loadBalancer) {

    /** {@code $.launchTemplate} as ProvisionLaunchTemplate left it. */
    public record LaunchTemplate(String launchTemplateId, Long version) {
    }

    /** {@code $.loadBalancer} as ProvisionLoadBalancer left it. */
    public record LoadBalancer(String targetGroupArn) {
    }
}
