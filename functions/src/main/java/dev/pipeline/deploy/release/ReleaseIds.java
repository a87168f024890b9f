package dev.pipeline.deploy.release;

import java.time.Instant;

/**
 * The releaseId of a deploy run, the same in every stage and for queued and resumed runs of one upload: the upload's
 * time then its id ({@link Release#releaseId}), so the releases table lists releases in upload order.
 */
public final class ReleaseIds {
    private ReleaseIds() {}

    public static String of(Instant uploadedAt, String uploadId) {
        return Release.releaseId(uploadedAt, uploadId);
    }

    public static String of(Upload upload) {
        return of(upload.uploadedAt(), upload.id());
    }
}
