package dev.pipeline.deploy.prune;

import java.util.List;

/**
 * What PruneImages leaves at {@code $.prune}.
 *
 * @param kept             release AMIs kept (newest releases, in use by a launch template version or the fleet, or not
 *                         available yet)
 * @param deregistered     release AMIs this call deregistered
 * @param deletedSnapshots their snapshots this call deleted
 * @param inUseSnapshots   snapshots EC2 refused to delete because another image uses them (kept)
 */
public record PruneImagesOutput(List<String> kept, List<String> deregistered, List<String> deletedSnapshots,
                                List<String> inUseSnapshots, String summary) {}
