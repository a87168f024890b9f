package dev.pipeline.provision.network;

import java.util.Map;

/** A security group as found in AWS: id, name, VPC and tags. */
public record FoundGroup(String groupId, String name, String vpcId, Map<String, String> tags) {

    public FoundGroup {
        tags = Map.copyOf(tags);
    }

    public String label() {
        return name + " (" + groupId + ")";
    }
}
