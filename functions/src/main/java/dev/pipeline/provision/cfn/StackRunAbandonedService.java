package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.StageFailedException;

import java.io.IOException;

/**
 * StackRunAbandoned: a provision or teardown run that CloudFormation started and that ended outside its own failure
 * path (stopped by hand or by the other workflow, timed out, or failed where no Catch reached) never answered the
 * stack, which would then wait for the custom resource's timeout (an hour). This answers FAILED for it, naming how the
 * run ended. Idempotency key: the run's history; a run whose AnswerStack state finished was answered and is left
 * alone (a second answer could overwrite the first before CloudFormation reads it).
 */
public final class StackRunAbandonedService {
    private final CloudFormationResponder responder;
    private final RunHistory history;

    public StackRunAbandonedService(CloudFormationResponder responder, RunHistory history) {
        this.responder = responder;
        this.history = history;
    }

    public StackRunAbandonedOutput handle(StackRunAbandonedInput event) {
        StackRunAbandonedInput.Detail d = event == null ? null : event.detail();
        if (d == null || d.executionArn() == null) throw new StageFailedException("not a Step Functions execution status event: no detail.executionArn");
        StackCallback callback = callback(d.input());
        if (callback == null) return new StackRunAbandonedOutput(false, "run " + d.name() + " was not started by a stack: nobody waits");
        if ("FAILED".equals(d.status()) && history.answeredStack(d.executionArn())) {
            return new StackRunAbandonedOutput(false, "run " + d.name() + " answered the stack itself before it ended FAILED");
        }
        String reason = "the " + workflow(d.stateMachineArn()) + " run " + d.name() + " ended " + d.status()
                + " before answering CloudFormation" + (d.error() == null || d.error().isBlank() ? "" : ": " + d.error()
                + (d.cause() == null || d.cause().isBlank() ? "" : ": " + d.cause()))
                + " (execution " + d.executionArn() + ")";
        responder.respond(callback, false, reason, null);
        return new StackRunAbandonedOutput(true, reason);
    }

    private static String workflow(String stateMachineArn) {
        return stateMachineArn != null && stateMachineArn.endsWith("-teardown") ? "teardown" : "provision";
    }

    /** The stack's callback from the run's input, or null when the run was started otherwise (CLI) or the input was cut. */
    private static StackCallback callback(String input) {
        if (input == null || input.isBlank()) return null;
        try {
            JsonNode cb = JsonHandler.JSON.readTree(input).path("callback");
            if (!cb.hasNonNull("responseUrl")) return null;
            return JsonHandler.JSON.treeToValue(cb, StackCallback.class);
        } catch (IOException e) {
            return null;
        }
    }
}
