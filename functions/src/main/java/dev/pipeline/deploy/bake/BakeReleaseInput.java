package dev.pipeline.deploy.bake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/**
 * The workflow state, of which BakeRelease reads the spec, the run, the upload (its id and time name the release),
 * ValidateArtifact's pinned object version and sha256, and its own previous output.
 */
public record BakeReleaseInput(JsonNode spec, Run run, Upload upload, Artifact artifact, BakeReleaseOutput release) {

    /** {@code $.upload}: the upload being deployed. */
    public record Upload(String id, String uploadedAt, String bucket, String key, String versionId) {
    }

    /** {@code $.artifact}: what ValidateArtifact checked. */
    public record Artifact(String bucket, String key, String versionId, String sha256) {
    }
}
