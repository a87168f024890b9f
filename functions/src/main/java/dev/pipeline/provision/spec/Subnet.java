package dev.pipeline.provision.spec;

/** What validation needs to know about an existing subnet. */
public record Subnet(String subnetId, String vpcId, String availabilityZone) {}
