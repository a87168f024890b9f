package dev.pipeline.deploy.artifact;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.Function;

/** Reads uploaded artifacts from S3, always one exact version; an object or version that is gone is an empty answer. */
public final class ArtifactGateway {

    /** One stored version of an object; {@code metadata} its user metadata (x-amz-meta-*, names in lower case). */
    public record StoredObject(String versionId, long size, java.util.Map<String, String> metadata) {
        public StoredObject(String versionId, long size) { this(versionId, size, java.util.Map.of()); }
    }

    private final S3Client s3;

    public ArtifactGateway(S3Client s3) { this.s3 = s3; }

    /** The object's version {@code versionId} (the current one when null), or empty when it is gone. */
    public Optional<StoredObject> head(String bucket, String key, String versionId) {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key).versionId(versionId));
            return Optional.of(new StoredObject(r.versionId(), r.contentLength(), r.hasMetadata() ? r.metadata() : java.util.Map.of()));
        } catch (S3Exception e) {
            if (gone(e, versionId)) return Optional.empty();
            throw e;
        }
    }

    /**
     * Streams version {@code versionId} through {@code reader}; empty when it is gone. When the reader stops early
     * (a rejected upload) the connection is aborted rather than drained: draining a 512 MiB object to reuse one
     * connection costs more than a new one.
     */
    public <T> Optional<T> read(String bucket, String key, String versionId, Function<InputStream, T> reader) {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(key).versionId(versionId));
        } catch (S3Exception e) {
            if (gone(e, versionId)) return Optional.empty();
            throw e;
        }
        boolean complete = false;
        try {
            T result = reader.apply(in);
            complete = true;
            return Optional.of(result);
        } finally {
            if (!complete) in.abort();
            try {
                in.close();
            } catch (java.io.IOException e) {
                // the result is already decided; a failed close changes nothing about it
            }
        }
    }

    /** {@code length} bytes of version {@code versionId} from {@code offset} (a ranged GET), or empty when it is gone. */
    public Optional<byte[]> range(String bucket, String key, String versionId, long offset, int length) {
        if (length == 0) return Optional.of(new byte[0]);
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)
                    .range("bytes=" + offset + "-" + (offset + length - 1))).asByteArray());
        } catch (S3Exception e) {
            if (gone(e, versionId)) return Optional.empty();
            throw e;
        }
    }

    /**
     * 404 NoSuchKey/NoSuchVersion: deleted. 405: the version is a delete marker (S3 answers "MethodNotAllowed" to a
     * GET or HEAD of one). 400 InvalidArgument on a versioned request: a version id S3 does not know; AWS documents
     * this answer for malformed ids, and moto gives it for unknown ones.
     */
    private static boolean gone(S3Exception e, String versionId) {
        if (e instanceof NoSuchKeyException || e.statusCode() == 404 || e.statusCode() == 405) return true;
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return versionId != null && e.statusCode() == 400 && "InvalidArgument".equals(code);
    }
}
