package dev.pipeline.provision.network;

import java.util.List;

/**
 * @param ready   true when none of the environment's security groups is left
 * @param deleted the groups this call deleted (ids)
 */
public record TeardownSecurityGroupsOutput(boolean ready, List<String> deleted) {

    public TeardownSecurityGroupsOutput {
        deleted = List.copyOf(deleted);
    }
}
