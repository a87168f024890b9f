package dev.pipeline.deploy.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.StageFailedException;

/**
 * The upload to validate, either flat ({@code bucket, key, versionId}) or as the EventBridge "Object Created" event
 * S3 sends ({@code detail.bucket.name, detail.object.key, detail.object.version-id}). The flat fields win.
 */
public record ValidateArtifactInput(String bucket, String key, String versionId, JsonNode detail) {

    /** The object version this input names. */
    public ArtifactRef ref() {
        String b = bucket, k = key, v = versionId;
        if (detail != null && detail.isObject()) {
            // EventBridge carries the key as stored; S3's older notification format (Records[].s3) URL-encodes it.
            // AWS's EventBridge examples show only plain keys, so "as stored" is what moto does, not confirmed on AWS.
            if (b == null) b = text(detail.path("bucket").path("name"));
            if (k == null) k = text(detail.path("object").path("key"));
            if (v == null) v = text(detail.path("object").path("version-id"));
        }
        if (b == null || b.isBlank() || k == null || k.isEmpty()) {
            throw new StageFailedException("the deploy input names no artifact: expected bucket and key, or an S3 Object Created event");
        }
        // "null" stays: it is S3's real id of an object written while versioning was off, and HeadObject accepts it
        return new ArtifactRef(b, k, v == null || v.isBlank() ? null : v);
    }

    private static String text(JsonNode n) { return n.isMissingNode() || n.isNull() ? null : n.asText(); }
}
