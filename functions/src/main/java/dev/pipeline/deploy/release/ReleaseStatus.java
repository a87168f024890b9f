package dev.pipeline.deploy.release;

/** Where a release is in its life; every status but DEPLOYING and QUEUED is final. */
public enum ReleaseStatus {
    /** Waiting for the deploy in flight to end. */
    QUEUED,
    /** Holds the deploy lock: baking, refreshing. */
    DEPLOYING,
    /** The fleet runs it. */
    SUCCEEDED,
    /** Baked or refreshed and failed; the fleet is back on the previous release. */
    FAILED,
    /** The artifact was refused by validation; nothing changed. */
    REJECTED,
    /** A newer upload arrived before this one started; it was never deployed. */
    SUPERSEDED
}
