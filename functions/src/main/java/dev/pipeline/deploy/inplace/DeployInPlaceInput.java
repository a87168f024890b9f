package dev.pipeline.deploy.inplace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.deploy.release.UploadInput;
import dev.pipeline.functions.Run;

/** The workflow state, of which DeployInPlace reads the spec, the run, the upload, the validated artifact and its own last output. */
public record DeployInPlaceInput(JsonNode spec, Run run, UploadInput upload, Artifact artifact, DeployInPlaceOutput inPlace,
                                 String mode, Rollback release) {

    /** {@code $.mode} of a rollback run (./pipeline rollback). */
    public static final String ROLLBACK_MODE = "rollback";

    public DeployInPlaceInput(JsonNode spec, Run run, UploadInput upload, Artifact artifact, DeployInPlaceOutput inPlace) {
        this(spec, run, upload, artifact, inPlace, null, null);
    }

    /** {@code $.release} of a rollback run, as ResolveRollback left it: the release whose WAR goes back. */
    public record Rollback(String rollbackOf, String imageId, String key, String versionId, String sha256) {}

    /** {@code $.artifact}: what ValidateArtifact checked. */
    public record Artifact(String bucket, String key, String versionId, String sha256) {}
}
