package dev.pipeline.deploy.release;

import java.time.Instant;

/**
 * One deploy attempt of one uploaded object version, as recorded in the releases table. Identity:
 * ({@code environment}, {@code releaseId}); the releaseId starts with the fixed-width start time, so a query
 * sorted by it lists releases newest first. Fields the deploy has not reached yet are null. {@code rollbackOf}
 * is set on a rollback's record: the release whose AMI it put back. {@code inPlace} is set on a release that went
 * live in place with CodeDeploy (strategy in-place-then-bake): its deployment, its revision and when it was live;
 * {@code finishedAt} is then when its image followed.
 */
public record Release(String environment, String releaseId, String key, String versionId, String sha256,
                      String ami, Long launchTemplateVersion, ReleaseStatus status, String reason,
                      Instant uploadedAt, Instant startedAt, Instant finishedAt, String execution, String rollbackOf,
                      InPlace inPlace) {

    /** An in-place release's CodeDeploy deployment, its revision in the artifact bucket, and when it went live. */
    public record InPlace(String deploymentId, String revisionKey, Instant liveAt) {}

    public Release(String environment, String releaseId, String key, String versionId, String sha256,
                   String ami, Long launchTemplateVersion, ReleaseStatus status, String reason,
                   Instant uploadedAt, Instant startedAt, Instant finishedAt, String execution, String rollbackOf) {
        this(environment, releaseId, key, versionId, sha256, ami, launchTemplateVersion, status, reason, uploadedAt,
                startedAt, finishedAt, execution, rollbackOf, null);
    }

    public Release {
        if (environment == null || releaseId == null || status == null) {
            throw new IllegalArgumentException("a release needs an environment, a releaseId and a status");
        }
    }

    /** A new release of {@code key} version {@code versionId}, started now by {@code execution}. */
    public static Release start(String environment, String execution, String key, String versionId, String sha256,
                                Instant uploadedAt, Instant startedAt, ReleaseStatus status) {
        return new Release(environment, releaseId(startedAt, execution), key, versionId, sha256, null, null, status,
                null, uploadedAt, startedAt, null, execution, null);
    }

    /** Sortable and unique: the start time to the microsecond, then the execution name. */
    public static String releaseId(Instant startedAt, String execution) {
        return SortableTime.format(startedAt) + "#" + execution;
    }

    public Release withImage(String ami, long launchTemplateVersion) {
        return new Release(environment, releaseId, key, versionId, sha256, ami, launchTemplateVersion, status, reason,
                uploadedAt, startedAt, finishedAt, execution, rollbackOf, inPlace);
    }

    public Release finished(ReleaseStatus status, String reason, Instant finishedAt) {
        return new Release(environment, releaseId, key, versionId, sha256, ami, launchTemplateVersion, status, reason,
                uploadedAt, startedAt, finishedAt, execution, rollbackOf, inPlace);
    }

    public Release withRollbackOf(String rollbackOf) {
        return new Release(environment, releaseId, key, versionId, sha256, ami, launchTemplateVersion, status, reason,
                uploadedAt, startedAt, finishedAt, execution, rollbackOf, inPlace);
    }

    /** True for every status a release never leaves (all but QUEUED and DEPLOYING). */
    public boolean isFinal() {
        return status != ReleaseStatus.QUEUED && status != ReleaseStatus.DEPLOYING;
    }
}
