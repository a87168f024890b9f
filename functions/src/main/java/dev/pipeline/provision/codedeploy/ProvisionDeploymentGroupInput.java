package dev.pipeline.provision.codedeploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run and the fleet (its group must exist first). */
public record ProvisionDeploymentGroupInput(JsonNode spec, Run run, Fleet fleet) {

    /** {@code $.fleet} as ProvisionAutoScalingGroup left it. */
    public record Fleet(String groupName) {
    }
}
