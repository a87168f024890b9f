package dev.pipeline.provision.fleet;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecification;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * EC2 launch templates and images for the fleet stages; the only fleet class importing EC2 SDK types. Deletes
 * treat NotFound as done.
 */
public class LaunchTemplateGateway {

    /** EC2's not-found codes for templates, by name and by id (not modeled as exception classes in SDK v2). */
    private static final Set<String> TEMPLATE_NOT_FOUND = Set.of(
            "InvalidLaunchTemplateName.NotFoundException", "InvalidLaunchTemplateId.NotFound",
            "InvalidLaunchTemplateId.Malformed");

    private final Ec2Client ec2;

    public LaunchTemplateGateway(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    public Optional<LaunchTemplateView> findTemplate(String name) {
        try {
            return ec2.describeLaunchTemplates(b -> b.launchTemplateNames(name)).launchTemplates().stream()
                    .findFirst().map(LaunchTemplateGateway::view);
        } catch (Ec2Exception e) {
            if (templateNotFound(e)) return Optional.empty();
            throw e;
        }
    }

    /** The settings of one version ("$Default", "$Latest" or a number). */
    public LaunchSettings settings(String templateId, String version) {
        LaunchTemplateVersion v = ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(templateId).versions(version))
                .launchTemplateVersions().getFirst();
        return settings(v.launchTemplateData());
    }

    public Optional<ImageView> image(String imageId) {
        try {
            return ec2.describeImages(b -> b.imageIds(imageId)).images().stream().findFirst().map(LaunchTemplateGateway::view);
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                    && e.awsErrorDetails().errorCode().startsWith("InvalidAMIID")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public LaunchTemplateView create(String name, LaunchSettings s, Map<String, String> tags, String clientToken) {
        LaunchTemplate t = ec2.createLaunchTemplate(b -> b.launchTemplateName(name).clientToken(clientToken)
                .versionDescription("provisioned")
                .launchTemplateData(data(s))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.LAUNCH_TEMPLATE).tags(tags(tags)).build()))
                .launchTemplate();
        return view(t);
    }

    /** A new version holding exactly {@code s} (no SourceVersion: nothing is inherited by accident). */
    public long createVersion(String templateId, LaunchSettings s, String description, String clientToken) {
        return ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(templateId).clientToken(clientToken)
                        .versionDescription(description).launchTemplateData(data(s)))
                .launchTemplateVersion().versionNumber();
    }

    public void setDefaultVersion(String templateId, long version) {
        ec2.modifyLaunchTemplate(b -> b.launchTemplateId(templateId).defaultVersion(Long.toString(version)));
    }

    /** True when it was there to delete. */
    public boolean delete(String templateId) {
        try {
            ec2.deleteLaunchTemplate(b -> b.launchTemplateId(templateId));
            return true;
        } catch (Ec2Exception e) {
            if (templateNotFound(e)) return false;
            throw e;
        }
    }

    private static boolean templateNotFound(Ec2Exception e) {
        return e.awsErrorDetails() != null && TEMPLATE_NOT_FOUND.contains(e.awsErrorDetails().errorCode());
    }

    private static RequestLaunchTemplateData data(LaunchSettings s) {
        RequestLaunchTemplateData.Builder b = RequestLaunchTemplateData.builder()
                .imageId(s.imageId())
                .instanceType(s.instanceType())
                .securityGroupIds(s.securityGroupIds())
                .iamInstanceProfile(p -> p.name(s.instanceProfileName()))
                .metadataOptions(m -> m.httpTokens(s.httpTokens()).httpEndpoint(s.httpEndpoint())
                        .httpPutResponseHopLimit(s.hopLimit()))
                .tagSpecifications(
                        LaunchTemplateTagSpecificationRequest.builder().resourceType(ResourceType.INSTANCE).tags(tags(s.instanceTags())).build(),
                        LaunchTemplateTagSpecificationRequest.builder().resourceType(ResourceType.VOLUME).tags(tags(s.volumeTags())).build());
        if (s.rootVolume() != null) {
            LaunchSettings.RootVolume r = s.rootVolume();
            b.blockDeviceMappings(LaunchTemplateBlockDeviceMappingRequest.builder().deviceName(r.deviceName())
                    .ebs(e -> e.volumeSize(r.sizeGiB()).volumeType(r.volumeType()).encrypted(r.encrypted())
                            .deleteOnTermination(r.deleteOnTermination()))
                    .build());
        }
        return b.build();
    }

    private static LaunchSettings settings(ResponseLaunchTemplateData d) {
        LaunchSettings.RootVolume root = null;
        List<LaunchTemplateBlockDeviceMapping> bdms = d.blockDeviceMappings();
        if (bdms.size() == 1 && bdms.getFirst().ebs() != null) {
            var m = bdms.getFirst();
            root = new LaunchSettings.RootVolume(m.deviceName(), m.ebs().volumeSize(), m.ebs().volumeTypeAsString(),
                    Boolean.TRUE.equals(m.ebs().encrypted()), Boolean.TRUE.equals(m.ebs().deleteOnTermination()));
        }
        var md = d.metadataOptions();
        return new LaunchSettings(d.imageId(), d.instanceTypeAsString(), d.securityGroupIds(),
                d.iamInstanceProfile() == null ? null : d.iamInstanceProfile().name(),
                md == null ? null : md.httpTokensAsString(), md == null ? null : md.httpEndpointAsString(),
                md == null || md.httpPutResponseHopLimit() == null ? 0 : md.httpPutResponseHopLimit(),
                root, tagsOf(d.tagSpecifications(), ResourceType.INSTANCE), tagsOf(d.tagSpecifications(), ResourceType.VOLUME));
    }

    /** Only the instance and volume specifications count (moto also copies the template's own tags in here). */
    private static Map<String, String> tagsOf(List<LaunchTemplateTagSpecification> specs, ResourceType type) {
        Map<String, String> out = new LinkedHashMap<>();
        specs.stream().filter(s -> s.resourceType() == type).forEach(s -> s.tags().forEach(t -> out.put(t.key(), t.value())));
        return out;
    }

    private static LaunchTemplateView view(LaunchTemplate t) {
        Map<String, String> tags = new LinkedHashMap<>();
        t.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        return new LaunchTemplateView(t.launchTemplateId(), t.launchTemplateName(),
                t.defaultVersionNumber() == null ? 0 : t.defaultVersionNumber(),
                t.latestVersionNumber() == null ? 0 : t.latestVersionNumber(), tags);
    }

    private static ImageView view(Image i) {
        Map<String, String> tags = new LinkedHashMap<>();
        i.tags().forEach(t -> tags.put(t.key(), t.value()));
        Instant created = i.creationDate() == null ? null : Instant.parse(i.creationDate());
        Integer rootSize = i.blockDeviceMappings().stream()
                .filter(m -> m.deviceName() != null && m.deviceName().equals(i.rootDeviceName()) && m.ebs() != null)
                .map(m -> m.ebs().volumeSize()).findFirst().orElse(null);
        return new ImageView(i.imageId(), created, i.rootDeviceName(), rootSize, i.stateAsString(), tags);
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
