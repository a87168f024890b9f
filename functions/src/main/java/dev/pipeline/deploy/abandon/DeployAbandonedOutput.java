package dev.pipeline.deploy.abandon;

/**
 * What DeployAbandoned did about one ended execution.
 *
 * @param handled false when there was nothing to do (a status that is not an ending, or no upload in the input)
 */
public record DeployAbandonedOutput(boolean handled, String execution, String status, String cleanup, String record,
                                    String handoff) {

    static DeployAbandonedOutput ignored(String execution, String status, String why) {
        return new DeployAbandonedOutput(false, execution, status, null, null, why);
    }
}
