package dev.pipeline.provision.cfn;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.util.List;

/** Starts, finds and stops workflow executions; a start by name with the same name and input returns the same execution. */
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

    /** The running executions of a state machine (one state machine per environment, so: this environment's). */
    public List<String> running(String stateMachineArn) {
        return sfn.listExecutionsPaginator(b -> b.stateMachineArn(stateMachineArn).statusFilter(ExecutionStatus.RUNNING))
                .executions().stream().map(ExecutionListItem::executionArn).toList();
    }

    /** Stops a running execution; one that has ended or vanished is already where we want it. */
    public void stop(String executionArn, String cause) {
        try {
            sfn.stopExecution(b -> b.executionArn(executionArn).error("StoppedForTeardown").cause(cause));
        } catch (ExecutionDoesNotExistException e) {
            // nothing to stop
        }
    }
}
