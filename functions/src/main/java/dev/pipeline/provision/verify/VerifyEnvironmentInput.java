package dev.pipeline.provision.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run, the load balancer and the fleet. */
public record VerifyEnvironmentInput(JsonNode spec, Run run, LoadBalancer loadBalancer, Fleet fleet) {

    /** {@code $.loadBalancer} as ProvisionLoadBalancer left it. */
    public record LoadBalancer(String loadBalancerArn, String targetGroupArn) {
    }

    /** {@code $.fleet} as ProvisionAutoScalingGroup left it. */
    public record Fleet(String groupName) {
    }
}
