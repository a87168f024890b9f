package dev.pipeline.provision.network;

/** The three security groups of the environment ({@code $.securityGroups}). */
public record ProvisionSecurityGroupsOutput(String albGroupId, String appGroupId, String backendGroupId) {}
