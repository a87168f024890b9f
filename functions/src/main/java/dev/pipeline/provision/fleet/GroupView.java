package dev.pipeline.provision.fleet;

import java.util.List;
import java.util.Map;

/**
 * An Auto Scaling group that exists.
 *
 * @param launchTemplateVersion as the group stores it: a number, or $Latest / $Default
 * @param status                null normally; "Delete in progress" while it is being deleted
 */
public record GroupView(String name, String launchTemplateId, String launchTemplateVersion, int min, int max, int desired,
                        List<String> subnets, List<String> targetGroupArns, String healthCheckType, int healthCheckGracePeriod,
                        String status, List<GroupInstance> instances, Map<String, String> tags) {

    /** One instance of the group. */
    public record GroupInstance(String instanceId, String lifecycleState, String healthStatus) {
        public boolean inService() {
            return "InService".equals(lifecycleState);
        }
    }

    public long inService() {
        return instances.stream().filter(GroupInstance::inService).count();
    }

    public boolean deleting() {
        return status != null && status.toLowerCase(java.util.Locale.ROOT).contains("delete");
    }
}
