package dev.pipeline.deploy.bake;

/**
 * What BakeRelease leaves at {@code $.release}; the workflow calls the stage again (after a Wait) until {@code ready}.
 *
 * @param releaseId         the release this AMI is for ({@code ReleaseIds.of(upload)})
 * @param imageId           the release AMI: the one being made, the one made, or the one reused; null before CreateImage
 * @param baseImageId       the golden AMI the release is baked on
 * @param builderInstanceId the builder instance, while there is one; null when an AMI was reused
 * @param commandId         the SSM command that installed the WAR on the builder
 * @param phase             launching, installing, imaging, ready or reused
 * @param reused            true when an earlier release's AMI of the same sha256 on the same golden AMI was taken
 * @param summary           what this call did, in a user's words
 */
public record BakeReleaseOutput(boolean ready, String releaseId, String imageId, String baseImageId,
                                String builderInstanceId, String commandId, String phase, boolean reused, String summary) {
    public static final String LAUNCHING = "launching";
    public static final String INSTALLING = "installing";
    public static final String IMAGING = "imaging";
    public static final String READY = "ready";
    public static final String REUSED = "reused";
}
