package dev.pipeline.deploy;

import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.time.Instant;
import java.util.List;

/** AMIs as the bake leaves them (image and snapshots tagged), and the release records naming them. */
public final class ReleaseImages {
    /** An AMI moto has built in, to launch the instances the images are made from. */
    public static final String BASE = "ami-0123456789abcdef0";

    private ReleaseImages() {}

    /** An available AMI of the environment tagged with the component; its snapshots tagged alike. */
    public static String image(Ec2Client ec2, String component, String name) {
        String instance = ec2.runInstances(r -> r.imageId(BASE).instanceType("t3.small").minCount(1).maxCount(1))
                .instances().getFirst().instanceId();
        String ami = ec2.createImage(b -> b.instanceId(instance).name(name).tagSpecifications(t -> t.resourceType(ResourceType.IMAGE)
                .tags(tag("pipeline:environment", DeployFixture.ENV), tag("pipeline:component", component)))).imageId();
        ec2.createTags(b -> b.resources(snapshotsOf(ec2, ami)).tags(tag("pipeline:environment", DeployFixture.ENV),
                tag("pipeline:component", component)));
        awaitAvailable(ec2, ami); // an image is pending for a while, as on AWS (the local cloud's clock)
        ec2.terminateInstances(b -> b.instanceIds(instance));
        return ami;
    }

    private static void awaitAvailable(Ec2Client ec2, String ami) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
        while (!"available".equals(ec2.describeImages(b -> b.imageIds(ami)).images().getFirst().stateAsString())) {
            if (java.time.Instant.now().isAfter(deadline)) throw new AssertionError(ami + " never became available");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + ami, e);
            }
        }
    }

    public static List<String> snapshotsOf(Ec2Client ec2, String ami) {
        return ec2.describeImages(b -> b.imageIds(ami)).images().getFirst().blockDeviceMappings().stream()
                .map(m -> m.ebs().snapshotId()).toList();
    }

    /** Which of these snapshots still exist. (moto's OwnerIds=self also lists its built-in AMIs' snapshots.) */
    public static List<String> existingSnapshots(Ec2Client ec2, List<String> ids) {
        return ec2.describeSnapshots(b -> b.filters(f -> f.name("snapshot-id").values(ids))).snapshots().stream()
                .map(Snapshot::snapshotId).toList();
    }

    /** A finished release of releases/app.war version {@code version}, started at {@code at}. */
    public static Release release(String version, Instant at, ReleaseStatus status, String ami) {
        return Release.start(DeployFixture.ENV, "releases-app-war-" + version, "releases/app.war", "ver-" + version,
                        "ab".repeat(32), at, at.plusSeconds(1), status)
                .withImage(ami, 2).finished(status, status == ReleaseStatus.SUCCEEDED ? null : "rolled back", at.plusSeconds(90));
    }

    public static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
