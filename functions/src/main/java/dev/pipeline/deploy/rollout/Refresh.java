package dev.pipeline.deploy.rollout;

import java.time.Instant;
import java.util.Set;

/**
 * One instance refresh as DescribeInstanceRefreshes reports it.
 *
 * @param desiredVersion the DesiredConfiguration's launch template version (null when the refresh has none)
 */
public record Refresh(String id, String status, int percentage, String statusReason, String desiredTemplateId,
                      String desiredVersion, Instant startTime) {

    /** AWS's terminal statuses; every other (Pending, InProgress, Cancelling, RollbackInProgress, Baking) is still moving. */
    private static final Set<String> TERMINAL = Set.of("Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed");

    public boolean terminal() {
        return TERMINAL.contains(status);
    }

    public boolean successful() {
        return "Successful".equals(status);
    }

    public boolean targets(String templateId, long version) {
        return Long.toString(version).equals(desiredVersion)
                && (desiredTemplateId == null || desiredTemplateId.equals(templateId));
    }
}
