package dev.pipeline.provision.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The launch template data the pipeline manages, as plain values: what a version holds and what we want it to
 * hold. Two versions with equal settings launch the same instances, so equality decides "reuse the default
 * version" versus "create a new one". Security groups compare as a set, tags as maps.
 *
 * @param hopLimit   IMDSv2 PUT response hop limit; 1, since Tomcat runs on the host: a token never has to cross
 *                   a container bridge, and nothing forwarded from the instance can fetch one
 * @param rootVolume null when the version has none or several block devices (then it differs from ours)
 */
public record LaunchSettings(String imageId, String instanceType, List<String> securityGroupIds, String instanceProfileName,
                             String httpTokens, String httpEndpoint, int hopLimit, RootVolume rootVolume,
                             Map<String, String> instanceTags, Map<String, String> volumeTags) {

    /**
     * The image's root device, encrypted (with the account's default EBS key, so no key policy to manage) and gp3.
     *
     * @param sizeGiB the image's own root snapshot size, written out: AWS would take it from the snapshot when
     *                left out, but moto then refuses to launch (MissingParameter size/snapshot); null when the
     *                image does not say
     */
    public record RootVolume(String deviceName, Integer sizeGiB, String volumeType, boolean encrypted, boolean deleteOnTermination) {
    }

    public LaunchSettings {
        securityGroupIds = securityGroupIds == null ? List.of() : securityGroupIds.stream().sorted().toList();
        instanceTags = instanceTags == null ? Map.of() : Map.copyOf(new TreeMap<>(instanceTags));
        volumeTags = volumeTags == null ? Map.of() : Map.copyOf(new TreeMap<>(volumeTags));
    }

    /** The same settings launching another image, whose root device (name and size) the volume follows. */
    public LaunchSettings withImage(ImageView image) {
        return new LaunchSettings(image.imageId(), instanceType, securityGroupIds, instanceProfileName, httpTokens,
                httpEndpoint, hopLimit, rootVolume == null ? null
                : new RootVolume(image.rootDevice(), image.rootVolumeSizeGiB(), rootVolume.volumeType(),
                rootVolume.encrypted(), rootVolume.deleteOnTermination()),
                instanceTags, volumeTags);
    }

    /** The names of the settings in which {@code other} differs from this, for messages. */
    public List<String> differences(LaunchSettings other) {
        List<String> out = new ArrayList<>();
        diff(out, "image", imageId, other.imageId);
        diff(out, "instance type", instanceType, other.instanceType);
        diff(out, "security groups", securityGroupIds, other.securityGroupIds);
        diff(out, "instance profile", instanceProfileName, other.instanceProfileName);
        diff(out, "metadata options", List.of(String.valueOf(httpTokens), String.valueOf(httpEndpoint), hopLimit),
                List.of(String.valueOf(other.httpTokens), String.valueOf(other.httpEndpoint), other.hopLimit));
        diff(out, "root volume", rootVolume, other.rootVolume);
        diff(out, "instance tags", instanceTags, other.instanceTags);
        diff(out, "volume tags", volumeTags, other.volumeTags);
        return out;
    }

    private static void diff(List<String> out, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) out.add(name);
    }
}
