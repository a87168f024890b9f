package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The EventBridge event Step Functions sends when a provision or teardown execution ends ABORTED, TIMED_OUT or FAILED
 * ("Step Functions Execution Status Change"): the execution, how it ended, and its input (a JSON string holding the
 * stack's callback when CloudFormation started the run).
 */
public record StackRunAbandonedInput(@JsonProperty("detail-type") String detailType, Detail detail) {

    public record Detail(String executionArn, String stateMachineArn, String name, String status, String input,
                         String error, String cause) {
    }
}
