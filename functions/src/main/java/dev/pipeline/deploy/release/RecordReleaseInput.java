package dev.pipeline.deploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/**
 * RecordRelease's ASL Parameters: {@code {"status": "DEPLOYING|QUEUED|SUPERSEDED|REJECTED|FAILED|FINAL", "state.$": "$"}}.
 * FINAL means "the rollout ended": SUCCEEDED when it DEPLOYED, else FAILED.
 */
public record RecordReleaseInput(String status, State state) {

    /** The parts of the deploy workflow state a release record is made of. */
    public record State(String mode, UploadInput upload, Artifact artifact, Baked release, Version releaseVersion,
                        Rollout rollout, Lock lock, Run run, JsonNode error, InPlace inPlace) {
        public State(String mode, UploadInput upload, Artifact artifact, Baked release, Version releaseVersion,
                     Rollout rollout, Lock lock, Run run, JsonNode error) {
            this(mode, upload, artifact, release, releaseVersion, rollout, lock, run, error, null);
        }
    }

    /** {@code $.inPlace} (DeployInPlace): the release's CodeDeploy deployment, when it went in place. */
    public record InPlace(String deploymentId, String revisionKey, String outcome, String liveAt) {}

    /** {@code $.artifact} (ValidateArtifact). */
    public record Artifact(String sha256) {}

    /** {@code $.release}: BakeRelease's image, or ResolveRollback's target (with its key, version and sha256). */
    public record Baked(String imageId, String key, String versionId, String sha256, String rollbackOf) {}

    /** {@code $.releaseVersion} (CreateReleaseVersion). */
    public record Version(Long version) {}

    /** {@code $.rollout} (RolloutRelease). */
    public record Rollout(String outcome, String reason) {}

    /** {@code $.lock} (AcquireLock). */
    public record Lock(String holder) {}
}
