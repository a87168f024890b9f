package dev.pipeline.deploy.inplace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.deploy.release.UploadInput;
import dev.pipeline.functions.Run;

/** The workflow state, of which DeployInPlace reads the spec, the run, the upload, the validated artifact and its own last output. */
public record DeployInPlaceInput(JsonNode spec, Run run, UploadInput upload, Artifact artifact, DeployInPlaceOutput inPlace) {

    /** {@code $.artifact}: what ValidateArtifact checked. */
    public record Artifact(String bucket, String key, String versionId, String sha256) {}
}
