package dev.pipeline.cli.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.functions.JsonHandler;

import java.util.List;

/**
 * How one deploy (or rollback) ended, as a user reads it: the release's final status, why, and the stages it went
 * through across its executions (the first one and, when it queued, the one the lock hand-off started).
 *
 * @param status  SUCCEEDED, FAILED, ROLLED_BACK (the refresh failed and the fleet went back), REJECTED,
 *                SUPERSEDED, RUNNING (still going when following stopped), or the execution's own status (TIMED_OUT, ABORTED)
 * @param release the release record, null when the deploy failed before it recorded one
 */
public record DeployResult(String status, String releaseId, String reason, Release release, double seconds,
                           List<String> executions, List<Stage> stages) {

    /** A stage entered, seconds after the deploy began (the upload, or the rollback's start). */
    public record Stage(String name, double at) {}

    public boolean succeeded() { return status.equals("SUCCEEDED"); }

    public ObjectNode toJson() {
        ObjectNode n = JsonHandler.JSON.createObjectNode();
        n.put("status", status);
        n.put("releaseId", releaseId);
        n.put("reason", reason);
        n.put("seconds", seconds);
        if (release != null) n.set("release", ReleaseJson.of(release));
        n.set("executions", JsonHandler.JSON.valueToTree(executions));
        n.set("stages", JsonHandler.JSON.valueToTree(stages));
        return n;
    }
}
