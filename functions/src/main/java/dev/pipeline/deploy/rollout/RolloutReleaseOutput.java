package dev.pipeline.deploy.rollout;

/**
 * What RolloutRelease leaves at {@code $.rollout}; the workflow calls the stage again until {@code ready}.
 *
 * @param status            the followed refresh's status
 * @param instanceRefreshId the release's refresh (carried from call to call)
 * @param rollbackRefreshId the refresh this stage started to finish a rollback AWS left incomplete, if any
 * @param outcome           DEPLOYED or ROLLED_BACK once ready
 * @param reason            why the release was rolled back
 */
public record RolloutReleaseOutput(boolean ready, String status, int percentage, String instanceRefreshId,
                                   String rollbackRefreshId, String outcome, String reason, String summary) {

    static RolloutReleaseOutput waiting(Refresh r, String instanceRefreshId, String rollbackRefreshId, String summary) {
        return new RolloutReleaseOutput(false, r.status(), r.percentage(), instanceRefreshId, rollbackRefreshId, null, null, summary);
    }
}
