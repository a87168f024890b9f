package dev.pipeline.deploy.bake;

import dev.pipeline.deploy.release.ReleaseIds;
import dev.pipeline.provision.image.ImageGateway;
import dev.pipeline.provision.image.ImageView;
import dev.pipeline.provision.instances.Ec2Instance;
import dev.pipeline.provision.instances.InstanceGateway;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CleanupBake, the compensation of BakeRelease on every failed deploy: terminates the release's builders and removes
 * the release's AMIs and snapshots, except an AMI that a launch template version references (a failure after
 * CreateReleaseVersion leaves one there, and the rollback target of a later refresh must still launch). Identity: the
 * {@code pipeline:release} tag. Already gone is done; run twice, the second call changes nothing and never throws
 * for what the first removed.
 */
public class CleanupBakeService {
    private final BakeGateway gateway;
    private final ImageGateway images;
    private final InstanceGateway instances;
    private final String environment;

    public CleanupBakeService(BakeGateway gateway, InstanceGateway instances, String environment) {
        this.gateway = gateway;
        this.images = gateway.images();
        this.instances = instances;
        this.environment = environment;
    }

    public CleanupBakeOutput cleanup(CleanupBakeInput in) {
        Optional<String> release = releaseId(in);
        if (release.isEmpty()) {
            return new CleanupBakeOutput(List.of(), List.of(), List.of(),
                    "nothing to clean up: the state names no release (no $.upload id and time, no $.release.releaseId)");
        }
        String releaseId = release.get();

        List<String> terminated = instances.findByEnvironment(environment, List.of(ReleaseTags.BUILDER),
                        Map.of(ReleaseTags.RELEASE, releaseId))
                .stream().filter(Ec2Instance::exists).map(Ec2Instance::instanceId).toList();
        if (!terminated.isEmpty()) instances.terminate(terminated);

        List<ImageView> ours = images.imagesTagged(environment, ReleaseTags.RELEASE_AMI).stream()
                .filter(i -> releaseId.equals(i.tags().get(ReleaseTags.RELEASE)) && !"deregistered".equals(i.state()))
                .toList();
        Set<String> referenced = ours.isEmpty() ? Set.of() : gateway.imagesInLaunchTemplates();
        List<String> kept = new ArrayList<>();
        List<String> deregistered = new ArrayList<>();
        Set<String> snapshots = new LinkedHashSet<>();
        Set<String> keptSnapshots = new LinkedHashSet<>();
        for (ImageView image : ours) {
            if (referenced.contains(image.id())) {
                kept.add(image.id());
                keptSnapshots.addAll(image.snapshotIds());
            } else {
                snapshots.addAll(image.snapshotIds());
                if (images.deregister(image.id())) deregistered.add(image.id());
            }
        }
        // Snapshots of an image an earlier call deregistered are found by their tags only.
        snapshots.addAll(gateway.snapshotsOfRelease(environment, releaseId));
        snapshots.removeAll(keptSnapshots);

        List<String> deleted = new ArrayList<>();
        List<String> inUse = new ArrayList<>();
        for (String snapshot : snapshots) {
            switch (images.deleteSnapshot(snapshot)) {
                case DELETED -> deleted.add(snapshot);
                case ALREADY_GONE -> { }
                // Still registered to an image: the deregistration has not settled yet; a later CleanupBake or
                // PruneImages (which keeps no AMI of a failed release) removes it.
                case IN_USE -> inUse.add(snapshot);
            }
        }
        return new CleanupBakeOutput(terminated, deregistered, deleted, summary(releaseId, terminated, deregistered, deleted, kept, inUse));
    }

    private static String summary(String releaseId, List<String> terminated, List<String> deregistered, List<String> deleted,
                                  List<String> kept, List<String> inUse) {
        List<String> parts = new ArrayList<>();
        if (!terminated.isEmpty()) parts.add("terminated the builder " + String.join(", ", terminated));
        if (!deregistered.isEmpty()) parts.add("deregistered " + String.join(", ", deregistered));
        if (!deleted.isEmpty()) parts.add("deleted the snapshots " + String.join(", ", deleted));
        if (!kept.isEmpty()) parts.add("kept " + String.join(", ", kept) + " (a launch template version references it)");
        if (!inUse.isEmpty()) parts.add("could not delete the snapshots " + String.join(", ", inUse) + " yet (still in use)");
        return "release " + releaseId + ": " + (parts.isEmpty() ? "nothing left to clean up" : String.join("; ", parts));
    }

    private static Optional<String> releaseId(CleanupBakeInput in) {
        var upload = in.upload();
        if (upload != null && upload.id() != null && !upload.id().isBlank() && upload.uploadedAt() != null) {
            try {
                return Optional.of(ReleaseIds.of(Instant.parse(upload.uploadedAt()), upload.id()));
            } catch (DateTimeParseException e) {
                // fall through to the bake's own record of the id
            }
        }
        if (in.release() != null && in.release().releaseId() != null && !in.release().releaseId().isBlank()) {
            return Optional.of(in.release().releaseId());
        }
        return Optional.empty();
    }
}
