package dev.pipeline.deploy.trigger;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The EventBridge "Object Created" event S3 sends for the artifact bucket; only {@code detail.bucket.name},
 * {@code detail.object.key} and {@code detail.object.version-id} are read.
 */
public record StartDeployInput(Detail detail) {

    public record Detail(Bucket bucket, S3Object object) {}

    public record Bucket(String name) {}

    public record S3Object(String key, @JsonProperty("version-id") String versionId) {}

    String bucket() { return detail == null || detail.bucket() == null ? null : detail.bucket().name(); }

    String key() { return detail == null || detail.object() == null ? null : detail.object().key(); }

    String versionId() { return detail == null || detail.object() == null ? null : detail.object().versionId(); }
}
