package dev.pipeline.provision.image;

import java.util.List;

/**
 * TeardownImages' result, at {@code $.images}.
 *
 * @param ready            true when every image and snapshot of the environment is gone
 * @param deregistered     images this call deregistered
 * @param deletedSnapshots snapshots this call deleted
 */
public record TeardownImagesOutput(boolean ready, List<String> deregistered, List<String> deletedSnapshots) {}
