package dev.pipeline.deploy.release;

/** Where a release is in its life; every status but DEPLOYING and QUEUED is final. */
public enum ReleaseStatus {
    /** Waiting for the deploy in flight to end. */
    QUEUED,
    /** Holds the deploy lock: baking, refreshing. */
    DEPLOYING,
    /** The fleet runs it. */
    SUCCEEDED,
    /** Failed before the fleet changed (the bake, a stage's error); the fleet runs the previous release. */
    FAILED,
    /**
     * Its instance refresh was rolled back (a health check, an alarm in ALARM, the deadline): the fleet is back on the
     * previous release, and the reason says why, naming the alarm when one went off.
     */
    ROLLED_BACK,
    /** The artifact was refused by validation; nothing changed. */
    REJECTED,
    /** A newer upload arrived before this one started; it was never deployed. */
    SUPERSEDED
}
