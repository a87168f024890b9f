package dev.pipeline.local.refresh;

import java.time.Duration;
import java.time.Instant;

/**
 * One instance refresh: what was asked, and where it stands. The API threads and the refresh's worker share
 * it; every state change is a synchronized transition that checks the state it leaves, so a cancel or
 * rollback that races the worker's own completion has exactly one winner. Identity: the InstanceRefreshId.
 */
final class InstanceRefreshRecord {
    final String id;
    final String groupName;
    final RefreshPreferences preferences;
    /** Null when the refresh was started without a DesiredConfiguration. */
    final LaunchTemplateSpec desired;
    /** The group's launch template when the refresh started (what rollback and failure restore); null for a launch configuration. */
    final LaunchTemplateSpec previous;
    final Instant startTime = Instant.now();

    private RefreshStatus status = RefreshStatus.Pending;
    private String statusReason;
    private Instant endTime;
    private int percentageComplete;
    private int instancesToUpdate;
    private boolean cancelRequested;
    private boolean rollbackRequested;
    private Rollback rollback;

    /** RollbackDetails: why and when, and the progress at that moment. */
    record Rollback(String reason, Instant startTime, int percentageCompleteOnRollback, int instancesToUpdateOnRollback) {}

    InstanceRefreshRecord(String id, String groupName, RefreshPreferences preferences, LaunchTemplateSpec desired,
                          LaunchTemplateSpec previous) {
        this.id = id;
        this.groupName = groupName;
        this.preferences = preferences;
        this.desired = desired;
        this.previous = previous;
    }

    /**
     * Whether this refresh can be rolled back: AWS requires a desired configuration and numbered launch
     * template versions on both sides (no $Latest/$Default, which would not name "the previous" version).
     */
    boolean reversible() {
        return desired != null && previous != null && !desired.floatingVersion() && !previous.floatingVersion();
    }

    synchronized RefreshStatus status() { return status; }

    synchronized boolean active() { return status.active(); }

    synchronized boolean cancelRequested() { return cancelRequested; }

    synchronized boolean rollbackRequested() { return rollbackRequested; }

    // ---- worker transitions ----

    /** Pending -> InProgress; false when a cancel or rollback came first. */
    synchronized boolean begin(int instancesToUpdate, int percentageComplete) {
        if (status != RefreshStatus.Pending) return false;
        status = RefreshStatus.InProgress;
        this.instancesToUpdate = instancesToUpdate;
        this.percentageComplete = percentageComplete;
        return true;
    }

    synchronized void progress(int instancesToUpdate, int percentageComplete, String reason) {
        this.instancesToUpdate = instancesToUpdate;
        this.percentageComplete = percentageComplete;
        this.statusReason = reason;
    }

    synchronized void reason(String reason) { this.statusReason = reason; }

    /** InProgress -> Baking, every instance replaced; false when a cancel or rollback request got there first. */
    synchronized boolean startBaking(int instancesToUpdate, int percentageComplete, String reason) {
        if (status != RefreshStatus.InProgress) return false;
        status = RefreshStatus.Baking;
        this.instancesToUpdate = instancesToUpdate;
        this.percentageComplete = percentageComplete;
        statusReason = reason;
        return true;
    }

    /** InProgress or Baking -> Successful; false when a cancel or rollback request got there first. */
    synchronized boolean succeed(int instancesToUpdate, int percentageComplete) {
        if (status != RefreshStatus.InProgress && status != RefreshStatus.Baking) return false;
        status = RefreshStatus.Successful;
        this.instancesToUpdate = instancesToUpdate;
        this.percentageComplete = percentageComplete;
        statusReason = null;
        endTime = Instant.now();
        return true;
    }

    /** InProgress -> Failed (no auto rollback); false when a cancel or rollback request got there first. */
    synchronized boolean fail(String reason) {
        if (status != RefreshStatus.InProgress && status != RefreshStatus.Pending && status != RefreshStatus.Baking) return false;
        status = RefreshStatus.Failed;
        statusReason = reason;
        endTime = Instant.now();
        return true;
    }

    /** InProgress -> RollbackInProgress, because the refresh failed and AutoRollback is on. */
    synchronized boolean startAutoRollback(String failure) {
        if (status != RefreshStatus.InProgress && status != RefreshStatus.Baking) return false;
        enterRollback("Instance refresh failed and AutoRollback is enabled: " + failure);
        return true;
    }

    synchronized void rollbackProgress(int percentageComplete, String reason) {
        this.percentageComplete = percentageComplete;
        this.statusReason = reason;
    }

    synchronized void rollbackDone(boolean success, String reason) {
        if (status != RefreshStatus.RollbackInProgress) return;
        status = success ? RefreshStatus.RollbackSuccessful : RefreshStatus.RollbackFailed;
        statusReason = reason != null ? reason : rollback.reason();
        if (success) percentageComplete = 0;
        endTime = Instant.now();
    }

    /** Cancelling -> Cancelled, once the worker has stopped replacing. */
    synchronized void cancelled() {
        status = RefreshStatus.Cancelled;
        statusReason = null;
        endTime = Instant.now();
    }

    /** Any state -> Failed for an error of the local cloud itself (moto refused a call), or RollbackFailed mid-rollback. */
    synchronized void crashed(String reason) {
        if (!status.active()) return;
        status = status == RefreshStatus.RollbackInProgress ? RefreshStatus.RollbackFailed : RefreshStatus.Failed;
        statusReason = reason;
        endTime = Instant.now();
    }

    /**
     * Waits up to {@code d}, returning early (true) when a cancel (or, if {@code wakeOnRollback}, a rollback) is
     * requested, so a refresh parked at a checkpoint or in warm-up answers the API at once.
     */
    synchronized boolean pause(Duration d, boolean wakeOnRollback) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (!cancelRequested && !(wakeOnRollback && rollbackRequested)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    // ---- API transitions ----

    /** CancelInstanceRefresh: any active state -> Cancelling; the worker finishes the move to Cancelled. */
    synchronized boolean requestCancel() {
        if (!status.active()) return false;
        status = RefreshStatus.Cancelling;
        cancelRequested = true;
        notifyAll();
        return true;
    }

    /** RollbackInstanceRefresh: Pending/InProgress -> RollbackInProgress; the worker does the replacing. */
    synchronized boolean requestRollback() {
        if (status != RefreshStatus.InProgress && status != RefreshStatus.Pending && status != RefreshStatus.Baking) return false;
        rollbackRequested = true;
        enterRollback("Rollback started by the RollbackInstanceRefresh API.");
        notifyAll();
        return true;
    }

    private void enterRollback(String reason) {
        status = RefreshStatus.RollbackInProgress;
        rollback = new Rollback(reason, Instant.now(), percentageComplete, instancesToUpdate);
        statusReason = reason;
    }

    // ---- rendering ----

    synchronized String xml() {
        StringBuilder sb = new StringBuilder("<member>");
        RefreshXml.element(sb, "InstanceRefreshId", id);
        RefreshXml.element(sb, "AutoScalingGroupName", groupName);
        RefreshXml.element(sb, "Status", status.name());
        RefreshXml.element(sb, "StatusReason", statusReason);
        RefreshXml.element(sb, "StartTime", startTime);
        RefreshXml.element(sb, "EndTime", endTime);
        RefreshXml.element(sb, "PercentageComplete", percentageComplete);
        RefreshXml.element(sb, "InstancesToUpdate", instancesToUpdate);
        sb.append("<ProgressDetails><LivePoolProgress>");
        RefreshXml.element(sb, "PercentageComplete", percentageComplete);
        RefreshXml.element(sb, "InstancesToUpdate", instancesToUpdate);
        sb.append("</LivePoolProgress></ProgressDetails>");
        sb.append(preferences.xml());
        if (desired != null) sb.append("<DesiredConfiguration>").append(desired.xml()).append("</DesiredConfiguration>");
        if (rollback != null) {
            sb.append("<RollbackDetails>");
            RefreshXml.element(sb, "RollbackReason", rollback.reason());
            RefreshXml.element(sb, "RollbackStartTime", rollback.startTime());
            RefreshXml.element(sb, "PercentageCompleteOnRollback", rollback.percentageCompleteOnRollback());
            RefreshXml.element(sb, "InstancesToUpdateOnRollback", rollback.instancesToUpdateOnRollback());
            sb.append("<ProgressDetailsOnRollback><LivePoolProgress>");
            RefreshXml.element(sb, "PercentageComplete", rollback.percentageCompleteOnRollback());
            RefreshXml.element(sb, "InstancesToUpdate", rollback.instancesToUpdateOnRollback());
            sb.append("</LivePoolProgress></ProgressDetailsOnRollback></RollbackDetails>");
        }
        RefreshXml.element(sb, "Strategy", "Rolling");
        return sb.append("</member>").toString();
    }
}
