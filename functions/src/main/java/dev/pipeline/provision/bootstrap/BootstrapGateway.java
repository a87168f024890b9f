package dev.pipeline.provision.bootstrap;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bootstrap objects in the artifact bucket (the WAR app01 starts with). HeadObject tells a missing object
 * (404, with s3:ListBucket on the bucket; without it S3 answers 403) from an existing one.
 */
public class BootstrapGateway {
    private final S3Client s3;

    public BootstrapGateway(S3Client s3) {
        this.s3 = s3;
    }

    public boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return false;
            throw e;
        }
    }

    public void put(String bucket, String key, byte[] body, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body));
    }
}
