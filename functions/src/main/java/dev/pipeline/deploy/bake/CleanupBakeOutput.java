package dev.pipeline.deploy.bake;

import java.util.List;

/**
 * What CleanupBake leaves at {@code $.cleanup}: only what this call changed (a second call reports empty lists).
 *
 * @param terminated       builder instances this call terminated
 * @param deregistered     release AMIs this call deregistered
 * @param deletedSnapshots their snapshots this call deleted
 * @param summary          what was done and what was kept, in a user's words
 */
public record CleanupBakeOutput(List<String> terminated, List<String> deregistered, List<String> deletedSnapshots,
                                String summary) {
}
