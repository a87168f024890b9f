package dev.pipeline.deploy.trigger;

/**
 * What StartDeploy did with one event.
 *
 * @param started       true when this call started the deploy execution
 * @param duplicate     true when the execution of this object version already existed (a redelivered event)
 * @param executionName the execution of this object version (absent when the event was ignored)
 * @param executionArn  its ARN (absent when ignored)
 * @param reason        why the event was ignored
 */
public record StartDeployOutput(boolean started, boolean duplicate, String executionName, String executionArn, String reason) {

    static StartDeployOutput ignored(String reason) {
        return new StartDeployOutput(false, false, null, null, reason);
    }
}
