package dev.pipeline.deploy.release;

import java.time.Instant;

/** The answer to asking for the deploy lock: who holds it now and until when, and what became of the asker. */
public record LockAttempt(Outcome outcome, String holder, Instant leaseExpiresAt) {

    public enum Outcome {
        /** The asker holds the lock (also when it already did: a retried acquire is not a conflict). */
        ACQUIRED,
        /** Another deploy holds the lock; the upload waits in the lock's queue. */
        QUEUED,
        /** A newer upload already started; this one will never deploy. */
        SUPERSEDED
    }
}
