package dev.pipeline.local.refresh;

/**
 * InstanceRefresh.Status as the Auto Scaling API names them. Baking (the wait after a refresh when BakeTime
 * is set) is not emulated: a local refresh goes straight from InProgress to Successful.
 */
public enum RefreshStatus {
    Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress, RollbackSuccessful, RollbackFailed;

    /** Active = counts as "the" refresh of its group: blocks a new start, can be cancelled. */
    public boolean active() {
        return this == Pending || this == InProgress || this == Cancelling || this == RollbackInProgress;
    }
}
