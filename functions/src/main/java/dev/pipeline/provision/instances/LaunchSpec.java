package dev.pipeline.provision.instances;

import java.util.Map;

/**
 * One instance to launch, as a service decided it. {@link InstanceGateway#launch} adds what every instance of
 * the pipeline gets regardless: IMDSv2 required, an encrypted gp3 root volume, and these tags on instance and
 * volume at creation.
 *
 * @param userData    the script in clear text (the gateway base64-encodes it); never holds a secret; null for
 *                    none (a release builder boots the golden image as it is)
 * @param clientToken makes a retried RunInstances return the first launch instead of a second instance
 */
public record LaunchSpec(String component, BaseImage image, String instanceType, String subnetId,
                         String securityGroupId, String instanceProfileName, String userData,
                         Map<String, String> tags, String clientToken) {

    public LaunchSpec {
        tags = Map.copyOf(tags);
    }
}
