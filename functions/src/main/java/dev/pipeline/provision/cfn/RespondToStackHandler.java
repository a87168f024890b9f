package dev.pipeline.provision.cfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.provision.notify.Notification;

import java.util.Map;

/**
 * RespondToStack: answers CloudFormation when a workflow the stack started ends. On success the stack's Outputs
 * get the site URL; on failure the stack event names the stage and its cause.
 */
public final class RespondToStackHandler extends JsonHandler<RespondToStackInput, RespondToStackOutput> {
    private final CloudFormationResponder responder;

    public RespondToStackHandler() { this(System.getenv()); }

    public RespondToStackHandler(Map<String, String> env) { this(new CloudFormationResponder()); }

    public RespondToStackHandler(CloudFormationResponder responder) {
        super(RespondToStackInput.class);
        this.responder = responder;
    }

    @Override
    protected RespondToStackOutput handle(RespondToStackInput in, Context context) {
        boolean success = "SUCCESS".equals(in.status());
        String reason;
        ObjectNode data = null;
        if (success) {
            reason = "workflow succeeded";
            JsonNode state = in.state() == null ? JsonHandler.JSON.createObjectNode() : in.state();
            data = JsonHandler.JSON.createObjectNode();
            String site = state.path("verification").path("siteUrl").asText("");
            data.put("SiteUrl", site);
            data.put("GoldenImageId", state.path("goldenImage").path("imageId").asText(""));
            data.put("AutoScalingGroup", state.path("fleet").path("groupName").asText(""));
        } else {
            String cause = in.error() == null ? "" : Notification.causeMessage(in.error().path("Cause").asText(""));
            String error = in.error() == null ? "" : in.error().path("Error").asText("");
            reason = (in.stage() == null ? "the workflow" : in.stage()) + " failed: " + error + (cause.isBlank() ? "" : ": " + cause);
        }
        responder.respond(in.callback(), success, reason, data);
        return new RespondToStackOutput(success ? "SUCCESS" : "FAILED", reason);
    }
}
