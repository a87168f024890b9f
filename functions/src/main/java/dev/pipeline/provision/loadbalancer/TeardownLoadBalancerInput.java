package dev.pipeline.provision.loadbalancer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec and the run; it finds what to delete by name and tag. */
public record TeardownLoadBalancerInput(JsonNode spec, Run run) {
}
