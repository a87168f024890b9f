package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.Run;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a stack event into a workflow run: Create and Update start provisioning, Delete starts teardown; the
 * workflow answers CloudFormation when it ends. Idempotency key: the request id names the execution, so a
 * redelivered event does not start a second run. A request that cannot start is answered FAILED at once, so the
 * stack never waits the custom resource's whole timeout for nothing.
 */
public final class StackEventService {
    private final WorkflowStarter starter;
    private final CloudFormationResponder responder;
    private final String provisionArn;
    private final String teardownArn;
    private final int pollSeconds;
    private final int settleSeconds;

    /** {@code settleSeconds}: how long a stage of a stopped run may still run (the functions' timeout). */
    public StackEventService(WorkflowStarter starter, CloudFormationResponder responder, String provisionArn,
                             String teardownArn, int pollSeconds, int settleSeconds) {
        this.settleSeconds = settleSeconds;
        this.starter = starter;
        this.responder = responder;
        this.provisionArn = provisionArn;
        this.teardownArn = teardownArn;
        this.pollSeconds = pollSeconds;
    }

    public StackEventOutput handle(StackEventInput event) {
        String fallbackId = event.physicalResourceId() != null ? event.physicalResourceId() : event.logicalResourceId();
        JsonNode spec;
        try {
            spec = spec(event.resourceProperties());
        } catch (IllegalArgumentException e) {
            if ("Delete".equals(event.requestType())) {
                // Nothing can have been provisioned from a spec that never parsed (Create and Update refuse it before
                // starting anything), so there is nothing to tear down. A FAILED answer would only wedge the stack in
                // DELETE_FAILED (or ROLLBACK_FAILED after a refused Create) with nothing to delete.
                responder.respond(callback(event, fallbackId), true,
                        e.getMessage() + "; nothing to tear down: no environment can have been provisioned from this spec", null);
                return new StackEventOutput(null, null);
            }
            return refuse(event, fallbackId, e.getMessage());
        }
        String environment = spec.path("name").asText("");
        String physicalId = environment.isBlank() ? fallbackId : environment;
        String machine = switch (event.requestType() == null ? "" : event.requestType()) {
            case "Create", "Update" -> provisionArn;
            case "Delete" -> teardownArn;
            default -> null;
        };
        if (machine == null) return refuse(event, physicalId, "unknown RequestType " + event.requestType());
        if ("Update".equals(event.requestType()) && event.physicalResourceId() != null && !environment.isBlank()
                && !environment.equals(event.physicalResourceId())) {
            // The physical id is the environment's name: answering with a new one makes CloudFormation replace the
            // resource, i.e. send a Delete for the old environment afterwards, whose teardown the stack's policies (now
            // scoped to the new name) deny, so the old environment would leak and bill. Refused, answering with the
            // old id, so CloudFormation rolls the update back and the old environment stays as it was.
            return refuse(event, event.physicalResourceId(), "EnvironmentName cannot change on an existing stack (from \""
                    + event.physicalResourceId() + "\" to \"" + environment + "\"): every resource and policy is named after it."
                    + " Deploy a new stack for \"" + environment + "\" and delete this one");
        }
        if ("Delete".equals(event.requestType()) && environment.isBlank()) {
            // nothing was ever provisioned under a name: nothing to tear down
            responder.respond(callback(event, physicalId), true, "nothing to delete", null);
            return new StackEventOutput(null, null);
        }
        ObjectNode input = JsonHandler.JSON.createObjectNode();
        // One workflow per environment at a time. Provisioning never starts while a teardown runs (it would
        // re-create what is being deleted); a teardown stops a running provisioning first, then waits out the stage
        // that may still be running in its Lambda (StopExecution does not stop an invocation in flight), so no
        // resource is created behind the teardown's back. The stopped run answers its own request via StackRunAbandoned.
        if (machine.equals(provisionArn)) {
            List<String> teardowns = starter.running(teardownArn);
            if (!teardowns.isEmpty()) {
                return refuse(event, physicalId, "a teardown of " + environment + " is running (" + String.join(", ", teardowns)
                        + "); provisioning would re-create what it deletes. Deploy again when it has ended");
            }
        } else {
            List<String> provisioning = starter.running(provisionArn);
            for (String run : provisioning) starter.stop(run, "the stack deletes environment " + environment);
            if (!provisioning.isEmpty()) input.put("settleSeconds", settleSeconds);
        }
        input.set("spec", spec);
        input.set("run", JsonHandler.JSON.createObjectNode().put("pollSeconds", pollSeconds)
                // the custom resource's ServiceTimeout is one hour: stop waiting a little before CloudFormation does
                .put("timeoutSeconds", Run.DEFAULT_TIMEOUT_SECONDS - 300));
        input.set("callback", JsonHandler.JSON.valueToTree(callback(event, physicalId)));
        String name = ("cfn-" + event.requestType() + "-" + event.requestId()).replaceAll("[^A-Za-z0-9_-]", "-");
        try {
            return new StackEventOutput(starter.start(machine, name.length() > 80 ? name.substring(0, 80) : name,
                    input.toString()), null);
        } catch (RuntimeException e) {
            return refuse(event, physicalId, "could not start the " + event.requestType().toLowerCase() + " workflow: " + e.getMessage());
        }
    }

    private StackEventOutput refuse(StackEventInput event, String physicalId, String reason) {
        responder.respond(callback(event, physicalId), false, reason, null);
        return new StackEventOutput(null, reason);
    }

    private static StackCallback callback(StackEventInput e, String physicalId) {
        return new StackCallback(e.responseUrl(), e.stackId(), e.requestId(), e.logicalResourceId(), physicalId);
    }

    /**
     * The spec from the SpecJson property. The template builds it with Fn::Sub, so optional parameters left
     * empty arrive as "" (e.g. CertificateArn): those are dropped, meaning "not set".
     */
    static JsonNode spec(JsonNode properties) {
        JsonNode raw = properties == null ? null : properties.get("SpecJson");
        if (raw == null || !raw.isTextual()) throw new IllegalArgumentException("the Environment resource needs a SpecJson property");
        JsonNode spec;
        try {
            spec = JsonHandler.JSON.readTree(raw.asText());
        } catch (IOException e) {
            throw new IllegalArgumentException("SpecJson is not valid JSON: " + e.getMessage());
        }
        if (!spec.isObject()) throw new IllegalArgumentException("SpecJson must be a JSON object");
        dropEmptyStrings(spec);
        return spec;
    }

    private static void dropEmptyStrings(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isTextual() && f.getValue().asText().isEmpty()) it.remove();
                else dropEmptyStrings(f.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isObject() && f.getValue().isEmpty()) it.remove();
            }
        } else if (node.isArray()) {
            node.forEach(StackEventService::dropEmptyStrings);
        }
    }
}
