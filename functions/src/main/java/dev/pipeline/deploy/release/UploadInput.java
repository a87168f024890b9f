package dev.pipeline.deploy.release;

import dev.pipeline.functions.StageFailedException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code $.upload} of the deploy workflow state: which upload this run deploys. The id is the lock holder id and the
 * execution's name (StartDeploy), or the CLI's id for a rollback, whose bucket, key and versionId are null.
 */
public record UploadInput(String id, String bucket, String key, String versionId, String uploadedAt, String sequencer) {

    public UploadInput(String id, String bucket, String key, String versionId, String uploadedAt) {
        this(id, bucket, key, versionId, uploadedAt, null);
    }

    /** The upload, or a StageFailedException naming what the state lacks. */
    public Upload upload() {
        if (id == null || id.isBlank()) throw new StageFailedException("the workflow state has no $.upload.id (the execution input sets it)");
        if (uploadedAt == null || uploadedAt.isBlank()) {
            throw new StageFailedException("the workflow state has no $.upload.uploadedAt (the execution input sets it)");
        }
        try {
            return new Upload(id, Instant.parse(uploadedAt), bucket, key, versionId, sequencer);
        } catch (DateTimeParseException e) {
            throw new StageFailedException("$.upload.uploadedAt is not an ISO-8601 time: \"" + uploadedAt + "\"", e);
        }
    }

    public String releaseId() { return ReleaseIds.of(upload()); }

    /** The upload of {@code $.upload}; a StageFailedException when the state has none. */
    public static Upload require(UploadInput upload) {
        if (upload == null) throw new StageFailedException("the workflow state has no $.upload (the execution input sets it)");
        return upload.upload();
    }

    public static UploadInput of(Upload u) {
        return new UploadInput(u.id(), u.bucket(), u.key(), u.versionId(), u.uploadedAt().toString(), u.sequencer());
    }
}
