package dev.pipeline.provision.cfn;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/** Starts a workflow execution by name; the same name and input again returns the same execution. */
public final class WorkflowStarter {
    private final SfnClient sfn;

    public WorkflowStarter(SfnClient sfn) { this.sfn = sfn; }

    public String start(String stateMachineArn, String name, String input) {
        try {
            return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input)).executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            // a redelivered request with other input: the first execution already answers CloudFormation
            return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
        }
    }
}
