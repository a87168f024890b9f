package dev.pipeline.deploy.inplace;

/**
 * What DeployInPlace leaves at {@code $.inPlace}; the workflow calls the stage again until {@code ready}.
 *
 * @param revisionKey          the revision bundle in the artifact bucket
 * @param revisionVersionId    its S3 version
 * @param deploymentId         the release's CodeDeploy deployment (carried from call to call)
 * @param status               that deployment's status
 * @param rollbackDeploymentId the deployment CodeDeploy started to roll back, if any
 * @param outcome              DEPLOYED (live on every instance) or ROLLED_BACK, once ready
 * @param reason               why it was rolled back: the instance, the lifecycle event, the script and its log tail
 * @param liveAt               when the deployment succeeded (the release went live in place)
 */
public record DeployInPlaceOutput(boolean ready, String revisionKey, String revisionVersionId, String deploymentId,
                                  String status, String rollbackDeploymentId, String outcome, String reason,
                                  String liveAt, String summary) {
}
