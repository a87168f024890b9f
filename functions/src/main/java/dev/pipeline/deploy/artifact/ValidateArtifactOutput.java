package dev.pipeline.deploy.artifact;

/**
 * A validated upload, pinned to the exact version that was checked: later stages install that version and that sha256.
 * {@code strategy} is what the upload asked for in its {@value #STRATEGY_METADATA} metadata ({@code ./pipeline deploy
 * --in-place} sets it), null when it asked for nothing (the spec's {@code deployment.strategy} decides).
 */
public record ValidateArtifactOutput(String bucket, String key, String versionId, String sha256, long size, String strategy) {
    /** The user metadata (x-amz-meta-pipeline-strategy) by which an upload picks its release's strategy. */
    public static final String STRATEGY_METADATA = "pipeline-strategy";

    public ValidateArtifactOutput(String bucket, String key, String versionId, String sha256, long size) {
        this(bucket, key, versionId, sha256, size, null);
    }
}
