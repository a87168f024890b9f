package dev.pipeline.deploy.rollout;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** EC2 launch template versions and instance images for the rollout stages; the only rollout class importing EC2 SDK types. */
public class ReleaseTemplateGateway {
    private static final Set<String> TEMPLATE_NOT_FOUND = Set.of(
            "InvalidLaunchTemplateName.NotFoundException", "InvalidLaunchTemplateId.NotFound",
            "InvalidLaunchTemplateId.Malformed");

    /** A launch template, by its numbered default version. */
    public record Template(String id, String name, long defaultVersion) {
    }

    private final Ec2Client ec2;

    public ReleaseTemplateGateway(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    public Optional<Template> template(String name) {
        try {
            return ec2.describeLaunchTemplates(b -> b.launchTemplateNames(name)).launchTemplates().stream().findFirst()
                    .map(t -> new Template(t.launchTemplateId(), t.launchTemplateName(),
                            t.defaultVersionNumber() == null ? 0 : t.defaultVersionNumber()));
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() != null && TEMPLATE_NOT_FOUND.contains(e.awsErrorDetails().errorCode())) return Optional.empty();
            throw e;
        }
    }

    /** Every version of the template, whatever its number (paged). */
    public List<TemplateVersion> versions(String templateId) {
        List<TemplateVersion> out = new ArrayList<>();
        ec2.describeLaunchTemplateVersionsPaginator(b -> b.launchTemplateId(templateId)).launchTemplateVersions()
                .forEach(v -> out.add(view(v)));
        return out;
    }

    public Optional<TemplateVersion> version(String templateId, long version) {
        return ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(templateId).versions(Long.toString(version)))
                .launchTemplateVersions().stream().findFirst().map(ReleaseTemplateGateway::view);
    }

    /** A new version copying {@code sourceVersion} with only the ImageId replaced. */
    public long createFrom(String templateId, long sourceVersion, String imageId, String description, String clientToken) {
        return ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).sourceVersion(Long.toString(sourceVersion))
                        .versionDescription(description).clientToken(clientToken)
                        .launchTemplateData(d -> d.imageId(imageId)))
                .launchTemplateVersion().versionNumber();
    }

    public void setDefaultVersion(String templateId, long version) {
        ec2.modifyLaunchTemplate(b -> b.launchTemplateId(templateId).defaultVersion(Long.toString(version)));
    }

    /** instance id → the AMI it was launched from (instances that no longer exist are absent). */
    public Map<String, String> imagesOf(List<String> instanceIds) {
        Map<String, String> out = new LinkedHashMap<>();
        if (instanceIds.isEmpty()) return out;
        ec2.describeInstancesPaginator(b -> b.instanceIds(instanceIds)).reservations()
                .forEach(r -> r.instances().forEach(i -> out.put(i.instanceId(), i.imageId())));
        return out;
    }

    private static TemplateVersion view(LaunchTemplateVersion v) {
        return new TemplateVersion(v.versionNumber(), v.launchTemplateData() == null ? null : v.launchTemplateData().imageId(),
                v.versionDescription());
    }
}
