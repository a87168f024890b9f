package dev.pipeline.local.refresh;

/**
 * InstanceRefresh.Status as the Auto Scaling API names them. Baking: "Waiting the specified bake time after an
 * instance refresh has finished updating instances" (InstanceRefresh API reference).
 */
public enum RefreshStatus {
    Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress, RollbackSuccessful, RollbackFailed, Baking;

    /** Active = counts as "the" refresh of its group: blocks a new start, can be cancelled. */
    public boolean active() {
        return this == Pending || this == InProgress || this == Cancelling || this == RollbackInProgress || this == Baking;
    }
}
