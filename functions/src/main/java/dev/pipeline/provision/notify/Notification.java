package dev.pipeline.provision.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.SnsSubject;

/**
 * The message a workflow's end produces: a short subject (one SNS accepts: {@link SnsSubject}) and a JSON
 * body a person can read and a program can parse. Pure: built from the input alone.
 */
public record Notification(String subject, String body) {
    public static Notification of(NotifyInput in) {
        return of(in, null);
    }

    /** {@code environment}: the function's ENVIRONMENT_NAME, for a run that failed before it had a spec. */
    public static Notification of(NotifyInput in, String environment) {
        JsonNode state = in.state() == null ? JsonHandler.JSON.createObjectNode() : in.state();
        String env = state.path("spec").path("name").asText(environment == null ? "unknown" : environment);
        if ("deploy".equals(in.workflow())) return deploy(in, state, env);
        String outcome = in.outcome() == null ? "UNKNOWN" : in.outcome();
        StringBuilder subject = new StringBuilder("[" + env + "] " + in.workflow() + " " + outcome);
        if (in.stage() != null && !in.stage().isBlank()) subject.append(" at ").append(in.stage());
        ObjectNode body = JsonHandler.JSON.createObjectNode();
        body.put("notificationVersion", 1);
        body.put("environment", env);
        body.put("workflow", in.workflow());
        body.put("outcome", outcome);
        if (in.execution() != null) body.put("execution", in.execution());
        if (in.stage() != null) body.put("failedStage", in.stage());
        if (in.error() != null && !in.error().isMissingNode() && !in.error().isNull()) {
            body.put("error", in.error().path("Error").asText());
            body.put("cause", causeMessage(in.error().path("Cause").asText()));
        }
        String site = state.path("verification").path("siteUrl").asText(null);
        if (site != null) body.put("siteUrl", site);
        JsonNode manifest = state.path("manifest");
        if (manifest.has("key")) body.put("manifest", "s3://" + manifest.path("bucket").asText() + "/" + manifest.path("key").asText());
        String s = subject.toString();
        return new Notification(SnsSubject.fit(s), body.toPrettyString());
    }

    /**
     * A deploy's end as a release summary: subject {@code [env] release <key> SUCCEEDED|FAILED|REJECTED|SUPERSEDED|ROLLED_BACK},
     * body with the key, version id, sha256, AMI, launch template version, reason and execution. The outcome is read
     * from the state (a rolled-back rollout, else RecordRelease's status), so each path of the ASL reports alike.
     */
    private static Notification deploy(NotifyInput in, JsonNode state, String env) {
        boolean rollback = "rollback".equals(state.path("mode").asText());
        JsonNode upload = state.path("upload"), release = state.path("release"), record = state.path("record");
        String outcome = "ROLLED_BACK".equals(state.path("rollout").path("outcome").asText(null)) ? "ROLLED_BACK"
                : text(record, "status") != null ? text(record, "status")
                : in.outcome() == null ? "UNKNOWN" : in.outcome();
        String key = rollback ? text(release, "key") : text(upload, "key");
        String versionId = rollback ? text(release, "versionId") : text(upload, "versionId");
        String sha256 = text(state.path("artifact"), "sha256") != null && !rollback ? text(state.path("artifact"), "sha256") : text(release, "sha256");
        String releaseId = text(record, "releaseId") != null ? text(record, "releaseId") : text(release, "releaseId");
        String what = key != null ? key : releaseId != null ? releaseId : text(upload, "id");
        ObjectNode body = JsonHandler.JSON.createObjectNode();
        body.put("notificationVersion", 1);
        body.put("environment", env);
        body.put("workflow", in.workflow());
        body.put("outcome", outcome);
        if (rollback) body.put("mode", "rollback");
        body.put("releaseId", releaseId);
        body.put("key", key);
        body.put("versionId", versionId);
        body.put("sha256", sha256);
        body.put("imageId", text(release, "imageId"));
        JsonNode version = state.path("releaseVersion").path("version");
        if (version.isNumber()) body.put("launchTemplateVersion", version.asLong()); else body.putNull("launchTemplateVersion");
        if (rollback || text(release, "rollbackOf") != null) body.put("rollbackOf", text(release, "rollbackOf"));
        String reason = text(record, "reason");
        if (reason == null) reason = text(state.path("rollout"), "reason");
        if (reason == null && in.error() != null && !in.error().isMissingNode() && !in.error().isNull()) {
            reason = causeMessage(in.error().path("Cause").asText());
        }
        body.put("reason", reason);
        if (in.execution() != null) body.put("execution", in.execution());
        if (in.stage() != null) body.put("failedStage", in.stage());
        if (in.error() != null && !in.error().isMissingNode() && !in.error().isNull()) {
            body.put("error", in.error().path("Error").asText());
            body.put("cause", causeMessage(in.error().path("Cause").asText()));
        }
        return new Notification(shorten("[" + env + "] release " + (what == null ? "?" : what) + " " + outcome), body.toPrettyString());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /**
     * One message for the queued uploads a hand-off skipped (ReleaseLock): which ones, and the upload that won. Each
     * element of {@code releases} is a release summary ({releaseId, key, versionId, reason}).
     */
    public static Notification superseded(String environment, java.util.List<ObjectNode> releases, String winnerKey,
                                          String winnerId, String execution) {
        String subject = releases.size() == 1
                ? "[" + environment + "] release " + releases.getFirst().path("key").asText(releases.getFirst().path("releaseId").asText())
                  + " SUPERSEDED"
                : "[" + environment + "] " + releases.size() + " releases SUPERSEDED";
        ObjectNode body = JsonHandler.JSON.createObjectNode();
        body.put("notificationVersion", 1);
        body.put("environment", environment);
        body.put("workflow", "deploy");
        body.put("outcome", "SUPERSEDED");
        if (execution != null) body.put("execution", execution);
        if (winnerId != null) body.putObject("supersededBy").put("uploadId", winnerId).put("key", winnerKey);
        body.putArray("releases").addAll(releases);
        return new Notification(shorten(subject), body.toPrettyString());
    }

    private static String shorten(String s) {
        return SnsSubject.fit(s);
    }

    /** A Lambda error's Cause is the runtime's JSON ({errorMessage, errorType, stackTrace}); people want the message. */
    public static String causeMessage(String cause) {
        if (cause == null || cause.isBlank()) return "";
        try {
            JsonNode c = JsonHandler.JSON.readTree(cause);
            if (c.has("errorMessage")) return c.path("errorMessage").asText();
        } catch (java.io.IOException notJson) {
            // a States.* error's cause is plain text
        }
        return cause;
    }
}
