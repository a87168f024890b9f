package dev.pipeline.deploy.bake;

/**
 * The workflow state, of which CleanupBake reads the upload (whose id and time name the release) and, when the
 * upload is incomplete, BakeRelease's last output.
 */
public record CleanupBakeInput(Upload upload, Release release) {

    /** {@code $.upload}. */
    public record Upload(String id, String uploadedAt) {
    }

    /** {@code $.release}, as BakeRelease (or ResolveRollback) left it. */
    public record Release(String releaseId) {
    }
}
