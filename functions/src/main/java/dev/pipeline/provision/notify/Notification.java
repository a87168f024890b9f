package dev.pipeline.provision.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;

/**
 * The message a workflow's end produces: a short subject (SNS limits subjects to 100 characters) and a JSON
 * body a person can read and a program can parse. Pure: built from the input alone.
 */
public record Notification(String subject, String body) {
    static final int SUBJECT_MAX = 100;

    public static Notification of(NotifyInput in) {
        JsonNode state = in.state() == null ? JsonHandler.JSON.createObjectNode() : in.state();
        String env = state.path("spec").path("name").asText("unknown");
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
        return new Notification(s.length() > SUBJECT_MAX ? s.substring(0, SUBJECT_MAX - 1) + "…" : s, body.toPrettyString());
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
        return s.length() > SUBJECT_MAX ? s.substring(0, SUBJECT_MAX - 1) + "…" : s;
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
