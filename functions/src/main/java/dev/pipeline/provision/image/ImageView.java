package dev.pipeline.provision.image;

import java.util.List;
import java.util.Map;

/**
 * An AMI as the image stages (and the release bake) need to see it, without SDK types.
 *
 * @param state        EC2's image state: pending, available, failed, deregistered, ...
 * @param creationDate ISO-8601, as EC2 reports it
 * @param snapshotIds  the EBS snapshots of its block device mappings
 * @param stateReason  why it failed, when it did
 */
public record ImageView(String id, String name, String state, String creationDate, List<String> snapshotIds,
                 String stateReason, Map<String, String> tags) {

    public ImageView {
        snapshotIds = List.copyOf(snapshotIds);
        tags = Map.copyOf(tags);
    }
}
