package dev.pipeline.provision.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.JsonHandler;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The applied manifest object in the artifact bucket: written by provisioning, read by deploy and drift. */
public final class ManifestGateway {
    private final S3Client s3;
    private final String bucket;

    public ManifestGateway(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() { return bucket; }

    /** Writes the manifest; returns the object version. */
    public String put(String key, String json) {
        return s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json")
                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString(json)).versionId();
    }

    /** The environment's applied manifest; empty when it was never provisioned (or torn down). */
    public Optional<JsonNode> read(String environment) {
        return json(AppliedManifest.key(environment));
    }

    /** Any JSON object of the bucket; empty when it does not exist. */
    public Optional<JsonNode> json(String key) {
        try {
            return Optional.of(JsonHandler.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("s3://" + bucket + "/" + key + " is not JSON", e);
        }
    }
}
