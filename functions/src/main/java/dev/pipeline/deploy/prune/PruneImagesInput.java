package dev.pipeline.deploy.prune;

import com.fasterxml.jackson.databind.JsonNode;

/** The deploy workflow state, of which PruneImages reads the spec and the version this run created. */
public record PruneImagesInput(JsonNode spec, ReleaseVersion releaseVersion) {

    /** {@code $.releaseVersion} (CreateReleaseVersion); absent when the run failed before it. */
    public record ReleaseVersion(String launchTemplateId, Long version, String imageId, Long previousVersion,
                                 String previousImageId) {}
}
