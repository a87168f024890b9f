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
        LockAttempt attempt = lock.acquire(environment, upload, lease(run, input.spec()));
        return new AcquireLockOutput(attempt.outcome().name(), attempt.holder(),
                attempt.leaseExpiresAt() == null ? null : attempt.leaseExpiresAt().toString(), ReleaseIds.of(upload));
    }

    /** What a bake may take before its refresh starts (builder boot, SSM, install, CreateImage; AWS-typical, generous). */
    static final Duration BAKE_ALLOWANCE = Duration.ofHours(1);

    /**
     * A deploy's lease: long enough that the lock outlives the refresh the deploy starts, so no other deploy meets
     * "an instance refresh is in progress": the run's timeout (default {@value Run#DEFAULT_TIMEOUT_SECONDS} s) or,
     * when longer, a bake plus the refresh's spec-derived deadline twice over (the refresh, then its cancellation and
     * rollback: {@link RefreshDeadline}); plus {@link #GRACE}. Without a readable spec, the run's timeout alone.
     */
    public static Duration lease(Run run, com.fasterxml.jackson.databind.JsonNode spec) {
        int timeout = run == null || run.timeoutSeconds() == null ? Run.DEFAULT_TIMEOUT_SECONDS : run.timeoutSeconds();
        Duration lease = Duration.ofSeconds(timeout);
        if (spec != null && spec.isObject()) {
            try {
                Duration refresh = Duration.ofSeconds(2 * dev.pipeline.deploy.rollout.RefreshDeadline.seconds(
                        dev.pipeline.spec.EnvironmentSpecs.fromTree(spec)));
                if (BAKE_ALLOWANCE.plus(refresh).compareTo(lease) > 0) lease = BAKE_ALLOWANCE.plus(refresh);
            } catch (dev.pipeline.spec.InvalidSpecException e) {
                // PrepareRelease validated it; a spec that no longer parses leaves the run's timeout
            }
        }
        return lease.plus(GRACE);
    }
}
