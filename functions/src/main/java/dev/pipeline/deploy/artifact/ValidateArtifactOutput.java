package dev.pipeline.deploy.artifact;

/** A validated upload, pinned to the exact version that was checked: later stages install that version and that sha256. */
public record ValidateArtifactOutput(String bucket, String key, String versionId, String sha256, long size) {}
