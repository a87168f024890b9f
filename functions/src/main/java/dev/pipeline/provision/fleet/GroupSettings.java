package dev.pipeline.provision.fleet;

import java.util.List;
import java.util.Map;

/**
 * The Auto Scaling group the pipeline creates.
 *
 * @param launchTemplateVersion always a number: an instance refresh can only roll back to a numbered version
 * @param propagatedTags        copied to every instance at launch
 * @param groupOnlyTags         on the group only (its own component tag: instances keep the launch template's
 *                              {@code app}, because a group tag with the same key would override it)
 */
public record GroupSettings(String name, String launchTemplateId, String launchTemplateVersion, int min, int max, int desired,
                            List<String> subnets, List<String> targetGroupArns, String healthCheckType,
                            int healthCheckGracePeriod, List<String> terminationPolicies,
                            Map<String, String> propagatedTags, Map<String, String> groupOnlyTags) {
}
