package dev.pipeline.deploy.trigger;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipeline.functions.JsonHandler;

import java.time.Instant;

/**
 * What StartDeploy reads of the EventBridge "Object Created" event S3 sends for the artifact bucket: {@code time},
 * {@code detail.bucket.name}, {@code detail.object.key}, {@code detail.object.version-id} and
 * {@code detail.object.sequencer}.
 */
public record StartDeployInput(Instant time, Detail detail) {

    public record Detail(Bucket bucket, S3Object object) {}

    public record Bucket(String name) {}

    public record S3Object(String key, @JsonProperty("version-id") String versionId, String sequencer) {}

    /** The event as the handler receives it ({@code aws-lambda-java-events} has no type for S3's detail: it is a map). */
    public static StartDeployInput of(ScheduledEvent event) {
        if (event == null) return new StartDeployInput(null, null);
        Instant time = event.getTime() == null ? null : Instant.ofEpochMilli(event.getTime().getMillis());
        Detail detail = event.getDetail() == null ? null : JsonHandler.JSON.convertValue(event.getDetail(), Detail.class);
        return new StartDeployInput(time, detail);
    }

    String bucket() { return detail == null || detail.bucket() == null ? null : detail.bucket().name(); }

    String key() { return detail == null || detail.object() == null ? null : detail.object().key(); }

    String versionId() { return detail == null || detail.object() == null ? null : detail.object().versionId(); }

    String sequencer() { return detail == null || detail.object() == null ? null : detail.object().sequencer(); }
}
