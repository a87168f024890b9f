package dev.pipeline.provision.cfn;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pipeline.functions.JsonHandler;

/**
 * The EventBridge event Step Functions sends when a provision or teardown execution ends ABORTED, TIMED_OUT or FAILED
 * ("Step Functions Execution Status Change"): the execution, how it ended, and its input (a JSON string holding the
 * stack's callback when CloudFormation started the run).
 */
public record StackRunAbandonedInput(String detailType, Detail detail) {

    public record Detail(String executionArn, String stateMachineArn, String name, String status, String input,
                         String error, String cause) {
    }

    /** The event as the handler receives it ({@code aws-lambda-java-events} has no type for Step Functions' detail: it is a map). */
    public static StackRunAbandonedInput of(ScheduledEvent event) {
        if (event == null) return new StackRunAbandonedInput(null, null);
        return new StackRunAbandonedInput(event.getDetailType(),
                event.getDetail() == null ? null : JsonHandler.JSON.convertValue(event.getDetail(), Detail.class));
    }
}
