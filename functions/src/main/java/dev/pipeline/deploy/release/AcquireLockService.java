package dev.pipeline.deploy.release;

import dev.pipeline.functions.Run;
import dev.pipeline.provision.StageInputs;

import java.time.Duration;

/**
 * AcquireLock: one deploy at a time per environment, latest wins ({@link DeployLock}). Idempotency key: the upload id
 * (a retried call by the holder is ACQUIRED again, a queued upload stays queued once).
 */
public class AcquireLockService {
    /** Beyond the run's own timeout, time for cleanup, recording and notifying before another deploy may take over. */
    static final Duration GRACE = Duration.ofSeconds(900);

    private final DeployLock lock;
    private final String environment;

    public AcquireLockService(DeployLock lock, String environment) {
        this.lock = lock;
        this.environment = environment;
    }

    public AcquireLockOutput acquire(AcquireLockInput input) {
        Upload upload = UploadInput.require(input.upload());
        Run run = StageInputs.run(input.run());
        LockAttempt attempt = lock.acquire(environment, upload, lease(run));
        return new AcquireLockOutput(attempt.outcome().name(), attempt.holder(),
                attempt.leaseExpiresAt() == null ? null : attempt.leaseExpiresAt().toString(), ReleaseIds.of(upload));
    }

    /** A deploy's lease: the run's timeout (default {@value Run#DEFAULT_TIMEOUT_SECONDS} s) plus {@link #GRACE}. */
    public static Duration lease(Run run) {
        int timeout = run == null || run.timeoutSeconds() == null ? Run.DEFAULT_TIMEOUT_SECONDS : run.timeoutSeconds();
        return Duration.ofSeconds(timeout).plus(GRACE);
    }
}
