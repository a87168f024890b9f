package dev.pipeline.deploy.abandon;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The EventBridge event Step Functions sends when an execution's status changes ("Step Functions Execution Status
 * Change"): of its detail, the execution, how it ended, and its input (a JSON string).
 */
public record DeployAbandonedInput(@JsonProperty("detail-type") String detailType, Detail detail) {

    public record Detail(String executionArn, String stateMachineArn, String name, String status, String input) {
    }
}
