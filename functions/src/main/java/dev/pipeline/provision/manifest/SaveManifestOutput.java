package dev.pipeline.provision.manifest;

/** Where the applied manifest was written. */
public record SaveManifestOutput(String bucket, String key, String versionId) {}
