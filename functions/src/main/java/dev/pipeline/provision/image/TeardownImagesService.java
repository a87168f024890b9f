package dev.pipeline.provision.image;

import dev.pipeline.functions.Run;
import dev.pipeline.spec.EnvironmentSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Converges to absent every AMI this account owns tagged with the environment (golden and release images) and
 * their snapshots. Deregistering leaves an image's snapshots behind (on AWS as on moto), so they are found through
 * the images' block device mappings (which covers a snapshot not tagged yet) and by tag (which covers a snapshot
 * whose image was deregistered by an earlier call and is no longer listed). Run twice, the second call finds nothing.
 */
public final class TeardownImagesService {
    private final ImageGateway ec2;

    public TeardownImagesService(ImageGateway ec2) {
        this.ec2 = ec2;
    }

    public TeardownImagesOutput teardown(EnvironmentSpec spec, Run run) {
        List<String> deregistered = new ArrayList<>();
        Set<String> snapshots = new LinkedHashSet<>();
        for (ImageView image : ec2.imagesTagged(spec.name(), null)) {
            snapshots.addAll(image.snapshotIds());
            if (!"deregistered".equals(image.state()) && ec2.deregister(image.id())) deregistered.add(image.id());
        }
        snapshots.addAll(ec2.snapshotsTagged(spec.name()));

        List<String> deleted = new ArrayList<>();
        boolean ready = true;
        for (String snapshot : snapshots) {
            switch (ec2.deleteSnapshot(snapshot)) {
                case DELETED -> deleted.add(snapshot);
                case ALREADY_GONE -> { }
                // Still registered to an image: the deregistration has not settled, or an image this pipeline did
                // not tag uses it. Try again later rather than fail the teardown.
                case IN_USE -> ready = false;
            }
        }
        if (!ready) run.checkDeadline("snapshots of " + spec.name() + "'s images");
        return new TeardownImagesOutput(ready, deregistered, deleted);
    }
}
