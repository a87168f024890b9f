package dev.pipeline.provision.codedeploy;

import java.util.List;

/**
 * What ProvisionDeploymentGroup leaves at {@code $.codeDeploy}: the names the deploy workflow deploys to.
 *
 * @param changes what this call created or converged, in a user's words; empty when everything already matched
 */
public record ProvisionDeploymentGroupOutput(String applicationName, String deploymentGroupName, String deploymentGroupId,
                                             String deploymentConfigName, List<String> changes) {
}
