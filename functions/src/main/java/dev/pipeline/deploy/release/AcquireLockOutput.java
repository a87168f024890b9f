package dev.pipeline.deploy.release;

/**
 * What AcquireLock leaves at {@code $.lock}.
 *
 * @param outcome        ACQUIRED (deploy now), QUEUED (wait; the holder's ReleaseLock resumes it) or SUPERSEDED
 *                       (a newer upload already started: never deploys)
 * @param holder         the upload id holding the lock now (this run's own when ACQUIRED)
 * @param leaseExpiresAt when the holder's lease runs out (ISO-8601)
 * @param releaseId      this run's release id
 */
public record AcquireLockOutput(String outcome, String holder, String leaseExpiresAt, String releaseId) {}
