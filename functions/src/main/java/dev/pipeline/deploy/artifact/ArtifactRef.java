package dev.pipeline.deploy.artifact;

/** One uploaded object version: the identity of a release candidate (a null versionId means "the current one"). */
public record ArtifactRef(String bucket, String key, String versionId) {}
