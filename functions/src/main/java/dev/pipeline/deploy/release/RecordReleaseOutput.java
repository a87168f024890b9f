package dev.pipeline.deploy.release;

/**
 * What RecordRelease leaves at {@code $.record}: the release as now recorded.
 *
 * @param status  the recorded status (FINAL resolved to SUCCEEDED or FAILED)
 * @param reason  why it failed, was rejected, superseded or queued (absent otherwise)
 * @param summary what this call did, in a user's words
 */
public record RecordReleaseOutput(String releaseId, String status, String reason, String summary) {}
