package dev.pipeline.provision.loadbalancer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run and the ALB security group. */
public record ProvisionLoadBalancerInput(JsonNode spec, Run run, SecurityGroups securityGroups) {

    /** {@code $.securityGroups} as ProvisionSecurityGroups left it. */
    public record SecurityGroups(String albGroupId) {
    }
}
