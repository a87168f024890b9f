package dev.pipeline.deploy.rollback;

/**
 * What ResolveRollback leaves at {@code $.release}, in the shape BakeRelease leaves it, so CreateReleaseVersion and
 * RolloutRelease run as for an upload.
 *
 * @param releaseId  this run's release id
 * @param imageId    the AMI to put back
 * @param rollbackOf the release whose AMI that is
 * @param key        that release's object key, version id and sha256 (for the record and the notification)
 */
public record ResolveRollbackOutput(boolean ready, String releaseId, String imageId, String rollbackOf, String key,
                                    String versionId, String sha256, String summary) {}
