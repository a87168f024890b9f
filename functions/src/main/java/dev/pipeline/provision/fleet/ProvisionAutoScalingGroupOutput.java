package dev.pipeline.provision.fleet;

import java.util.List;

/**
 * What ProvisionAutoScalingGroup leaves at {@code $.fleet}.
 *
 * @param ready                 at least the desired number of instances are InService
 * @param launchTemplateVersion the numbered version the group launches from
 * @param changes               what this call created or converged, in a user's words
 */
public record ProvisionAutoScalingGroupOutput(boolean ready, String groupName, String launchTemplateVersion,
                                              int inService, int desiredCapacity, List<String> changes) {
}
