package dev.pipeline.provision.manifest;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The applied manifest object in the artifact bucket. */
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
}
