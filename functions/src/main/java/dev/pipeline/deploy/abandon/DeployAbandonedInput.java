package dev.pipeline.deploy.abandon;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pipeline.functions.JsonHandler;

/**
 * The EventBridge event Step Functions sends when an execution's status changes ("Step Functions Execution Status
 * Change"): of its detail, the execution, how it ended, and its input (a JSON string).
 */
public record DeployAbandonedInput(String detailType, Detail detail) {

    public record Detail(String executionArn, String stateMachineArn, String name, String status, String input) {
    }

    /** The event as the handler receives it ({@code aws-lambda-java-events} has no type for Step Functions' detail: it is a map). */
    public static DeployAbandonedInput of(ScheduledEvent event) {
        if (event == null) return new DeployAbandonedInput(null, null);
        return new DeployAbandonedInput(event.getDetailType(),
                event.getDetail() == null ? null : JsonHandler.JSON.convertValue(event.getDetail(), Detail.class));
    }
}
