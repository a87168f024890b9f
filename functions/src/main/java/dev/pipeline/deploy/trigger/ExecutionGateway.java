package dev.pipeline.deploy.trigger;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/** Step Functions StartExecution for the deploy workflow; the only class of the package importing SFN types. */
public class ExecutionGateway {

    /** What a start did: started now, or found the name taken (the execution already started). */
    public record Start(String executionArn, boolean duplicate) {}

    private final SfnClient sfn;

    public ExecutionGateway(SfnClient sfn) {
        this.sfn = sfn;
    }

    public Start start(String stateMachineArn, String name, String input) {
        try {
            return new Start(sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input)).executionArn(), false);
        } catch (ExecutionAlreadyExistsException e) {
            // a repeat of the name with another input (StartDeploy puts its invocation's request id in), or of a
            // closed execution: the name's execution exists
            return new Start(executionArn(stateMachineArn, name), true);
        }
    }

    /** arn:...:stateMachine:SM + name → arn:...:execution:SM:name */
    public static String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    /** arn:...:execution:SM:name → arn:...:stateMachine:SM (the state machine an execution belongs to). */
    public static String stateMachineArn(String executionArn) {
        int at = executionArn == null ? -1 : executionArn.indexOf(":execution:");
        int last = executionArn == null ? -1 : executionArn.lastIndexOf(':');
        if (at < 0 || last <= at + ":execution:".length()) {
            throw new IllegalArgumentException("not a Step Functions execution ARN: " + executionArn);
        }
        return executionArn.substring(0, at) + ":stateMachine:" + executionArn.substring(at + ":execution:".length(), last);
    }
}
