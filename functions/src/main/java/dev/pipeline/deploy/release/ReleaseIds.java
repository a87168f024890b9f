package dev.pipeline.deploy.release;

import java.time.Instant;

/**
 * The release id of an upload, the same in every stage of its deploy and in a queued or resumed run:
 * {@link Release#releaseId} of the upload's time and id (the execution name the upload was first given).
 */
public final class ReleaseIds {
    private ReleaseIds() {}

    public static String of(Instant uploadedAt, String uploadId) {
        return Release.releaseId(uploadedAt, uploadId);
    }
}
