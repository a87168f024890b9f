package dev.pipeline.provision.image;

import dev.pipeline.spec.EnvironmentSpec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * EC2 images, snapshots and the app01 instance for the image stages; the only class of the package that sees SDK
 * types. Deletes treat NotFound (and an already deregistered image) as done.
 */
public final class ImageGateway {
    private final Ec2Client ec2;

    public ImageGateway(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** Images this account owns tagged with the environment, and with the component unless it is null. Any state. */
    public List<ImageView> imagesTagged(String environment, String component) {
        List<Filter> filters = new ArrayList<>(List.of(tagFilter(EnvironmentSpec.TAG_ENVIRONMENT, environment)));
        if (component != null) filters.add(tagFilter(EnvironmentSpec.TAG_COMPONENT, component));
        List<ImageView> images = new ArrayList<>();
        ec2.describeImagesPaginator(b -> b.owners("self").filters(filters)).images()
                .forEach(i -> images.add(view(i)));
        return images;
    }

    /** This account's image of that name, if any. */
    public Optional<ImageView> imageNamed(String name) {
        return ec2.describeImages(b -> b.owners("self").filters(Filter.builder().name("name").values(name).build()))
                .images().stream().map(ImageGateway::view).findFirst();
    }

    /** The instance, or empty when EC2 does not know it. */
    Optional<InstanceView> instance(String instanceId) {
        try {
            return ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst().map(ImageGateway::view);
        } catch (AwsServiceException e) {
            if (notFound(e)) return Optional.empty();
            throw e;
        }
    }

    /** What CreateImage did. */
    public sealed interface Creation {}

    public record Created(String imageId) implements Creation {}

    /** Another image already has the name: on AWS, a concurrent run imaging the same app01 got there first. */
    public record NameTaken() implements Creation {}

    /**
     * CreateImage tagging the image at creation. NoReboot=false: EC2 shuts app01 down cleanly before the snapshot,
     * and app01's pipeline-config.service scrubs the secrets it fetched at boot on that shutdown, so no credential
     * is baked into the image (and the file system is consistent).
     *
     * <p>The snapshots are tagged at creation too (a snapshot TagSpecification), so the tag-conditioned grants
     * for deleting them (TeardownImages, CleanupBake, a failed image) hold from the start: IAM's
     * {@code ec2:CreateImage} on {@code snapshot/*} is granted only with the request tag, and
     * {@code ec2:DeleteSnapshot} only with the resource tag. (moto refuses such a spec; the local cloud fills it in.)
     */
    public Creation createImage(String instanceId, String name, String description, Map<String, String> tags,
                                Map<String, String> snapshotTags) {
        try {
            return new Created(ec2.createImage(b -> b.instanceId(instanceId).name(name).description(description)
                    .noReboot(false)
                    .tagSpecifications(
                            TagSpecification.builder().resourceType(ResourceType.IMAGE).tags(tags(tags)).build(),
                            TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(tags(snapshotTags)).build()))
                    .imageId());
        } catch (AwsServiceException e) {
            // The code EC2's error-code list gives for "AMI name already in use"; not confirmed against a live
            // account here (moto accepts duplicate names and never returns it).
            if (code(e).equals("InvalidAMIName.Duplicate")) {
                return new NameTaken();
            }
            throw e;
        }
    }

    /** Terminates the environment's instances of a component that are not already gone; returns their ids. */
    List<String> terminateTagged(String environment, String component) {
        List<String> ids = new ArrayList<>();
        ec2.describeInstancesPaginator(b -> b.filters(
                        tagFilter(EnvironmentSpec.TAG_ENVIRONMENT, environment),
                        tagFilter(EnvironmentSpec.TAG_COMPONENT, component),
                        Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build()))
                .reservations().forEach(r -> r.instances().forEach(i -> ids.add(i.instanceId())));
        if (ids.isEmpty()) return ids;
        try {
            ec2.terminateInstances(b -> b.instanceIds(ids));
        } catch (AwsServiceException e) {
            // One of them went between our look and the call; the next call terminates the rest.
            if (!notFound(e)) throw e;
        }
        return ids;
    }

    /** True when this call deregistered it, false when it was gone already. */
    public boolean deregister(String imageId) {
        try {
            ec2.deregisterImage(b -> b.imageId(imageId));
            return true;
        } catch (AwsServiceException e) {
            // InvalidAMIID.Unavailable: deregistered already (still listed "for an unspecified interval").
            if (notFound(e) || code(e).equals("InvalidAMIID.Unavailable")) return false;
            throw e;
        }
    }

    /** Ids of this account's snapshots tagged with the environment. */
    List<String> snapshotsTagged(String environment) {
        return snapshotsTagged(environment, null);
    }

    /** Ids of this account's snapshots tagged with the environment, and with the component unless it is null. */
    public List<String> snapshotsTagged(String environment, String component) {
        List<Filter> filters = new ArrayList<>(List.of(tagFilter(EnvironmentSpec.TAG_ENVIRONMENT, environment)));
        if (component != null) filters.add(tagFilter(EnvironmentSpec.TAG_COMPONENT, component));
        List<String> ids = new ArrayList<>();
        ec2.describeSnapshotsPaginator(b -> b.ownerIds("self").filters(filters)).snapshots().forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    /** What DeleteSnapshot did. */
    public enum SnapshotDeletion { DELETED, ALREADY_GONE, IN_USE }

    public SnapshotDeletion deleteSnapshot(String snapshotId) {
        try {
            ec2.deleteSnapshot(b -> b.snapshotId(snapshotId));
            return SnapshotDeletion.DELETED;
        } catch (AwsServiceException e) {
            if (notFound(e)) return SnapshotDeletion.ALREADY_GONE;
            // Still registered to an image (ours, being deregistered, or one made from it later).
            if (code(e).equals("InvalidSnapshot.InUse")) return SnapshotDeletion.IN_USE;
            throw e;
        }
    }

    private static boolean notFound(AwsServiceException e) {
        // EC2 spells it per resource: InvalidInstanceID.NotFound, InvalidAMIID.NotFound, InvalidSnapshot.NotFound.
        return code(e).endsWith(".NotFound");
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private static Filter tagFilter(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        if (tags != null) tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    private static ImageView view(Image i) {
        List<String> snapshots = i.blockDeviceMappings().stream().map(BlockDeviceMapping::ebs).filter(Objects::nonNull)
                .map(ebs -> ebs.snapshotId()).filter(Objects::nonNull).toList();
        return new ImageView(i.imageId(), i.name(), i.stateAsString(), i.creationDate(), snapshots,
                i.stateReason() == null ? null : i.stateReason().message(), tagMap(i.tags()));
    }

    private static InstanceView view(Instance i) {
        return new InstanceView(i.instanceId(), i.state() == null ? null : i.state().nameAsString(), i.launchTime(), tagMap(i.tags()));
    }
}
