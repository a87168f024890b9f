package dev.pipeline.deploy.rollout;

/**
 * What CreateReleaseVersion leaves at {@code $.releaseVersion}.
 *
 * @param previousVersion the numbered version the group ran before this release (the rollback target)
 * @param version         the numbered version launching {@code imageId}
 * @param summary         what this call did, in a user's words
 */
public record CreateReleaseVersionOutput(String launchTemplateId, long previousVersion, String previousImageId,
                                         long version, String imageId, String summary) {
}
