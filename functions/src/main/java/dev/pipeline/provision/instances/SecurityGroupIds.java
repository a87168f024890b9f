package dev.pipeline.provision.instances;

/**
 * What ProvisionSecurityGroups left at {@code $.securityGroups}: the ids this package launches instances into.
 * Unknown fields (e.g. {@code ready}) are ignored.
 */
public record SecurityGroupIds(String albGroupId, String appGroupId, String backendGroupId) {
}
