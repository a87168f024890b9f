package dev.pipeline.deploy.trigger;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The EventBridge "Object Created" event S3 sends for the artifact bucket; only {@code time}, {@code detail.bucket.name},
 * {@code detail.object.key}, {@code detail.object.version-id} and {@code detail.object.sequencer} are read.
 */
public record StartDeployInput(String time, Detail detail) {

    public record Detail(Bucket bucket, S3Object object) {}

    public record Bucket(String name) {}

    public record S3Object(String key, @JsonProperty("version-id") String versionId, String sequencer) {}

    String bucket() { return detail == null || detail.bucket() == null ? null : detail.bucket().name(); }

    String key() { return detail == null || detail.object() == null ? null : detail.object().key(); }

    String versionId() { return detail == null || detail.object() == null ? null : detail.object().versionId(); }

    String sequencer() { return detail == null || detail.object() == null ? null : detail.object().sequencer(); }
}
