package dev.pipeline.deploy.prune;

import dev.pipeline.spec.EnvironmentSpec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * EC2 images and snapshots for PruneImages; the only class of the package importing EC2 SDK types. Deletes treat
 * NotFound (and an image already deregistered) as done.
 */
public class PruneGateway {

    /** An image as prune sees it. */
    public record ImageView(String id, String state, List<String> snapshotIds, Map<String, String> tags) {}

    /** What DeleteSnapshot did. */
    public enum SnapshotDeletion { DELETED, ALREADY_GONE, IN_USE }

    private final Ec2Client ec2;

    public PruneGateway(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** Images this account owns tagged with the environment, and with the component unless it is null. */
    public List<ImageView> images(String environment, String component) {
        List<Filter> filters = new ArrayList<>(List.of(tag(EnvironmentSpec.TAG_ENVIRONMENT, environment)));
        if (component != null) filters.add(tag(EnvironmentSpec.TAG_COMPONENT, component));
        List<ImageView> out = new ArrayList<>();
        ec2.describeImagesPaginator(b -> b.owners("self").filters(filters)).images().forEach(i -> out.add(view(i)));
        return out;
    }

    /** Snapshots tagged with the environment and the component. (Always by tag: moto ignores OwnerIds.) */
    public List<String> snapshots(String environment, String component) {
        List<String> ids = new ArrayList<>();
        ec2.describeSnapshotsPaginator(b -> b.ownerIds("self").filters(tag(EnvironmentSpec.TAG_ENVIRONMENT, environment),
                tag(EnvironmentSpec.TAG_COMPONENT, component))).snapshots().forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    /** True when this call deregistered it, false when it was gone already. */
    public boolean deregister(String imageId) {
        try {
            ec2.deregisterImage(b -> b.imageId(imageId));
            return true;
        } catch (AwsServiceException e) {
            // InvalidAMIID.Unavailable: deregistered already (still listed "for an unspecified interval")
            if (notFound(e) || code(e).equals("InvalidAMIID.Unavailable")) return false;
            throw e;
        }
    }

    public SnapshotDeletion deleteSnapshot(String snapshotId) {
        try {
            ec2.deleteSnapshot(b -> b.snapshotId(snapshotId));
            return SnapshotDeletion.DELETED;
        } catch (AwsServiceException e) {
            if (notFound(e)) return SnapshotDeletion.ALREADY_GONE;
            // registered to another image (one copied from it, say): keep it and say so
            if (code(e).equals("InvalidSnapshot.InUse")) return SnapshotDeletion.IN_USE;
            throw e;
        }
    }

    private static boolean notFound(AwsServiceException e) {
        return code(e).endsWith(".NotFound");
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private static Filter tag(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }

    private static ImageView view(Image i) {
        List<String> snapshots = i.blockDeviceMappings().stream().map(BlockDeviceMapping::ebs).filter(Objects::nonNull)
                .map(ebs -> ebs.snapshotId()).filter(Objects::nonNull).toList();
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : i.tags()) tags.put(t.key(), t.value());
        return new ImageView(i.imageId(), i.stateAsString(), snapshots, tags);
    }
}
