package dev.pipeline.provision.fleet;

/**
 * What ProvisionLaunchTemplate leaves at {@code $.launchTemplate}.
 *
 * @param version          the numbered default version (never $Latest/$Default: instance refresh rollback needs a number)
 * @param imageId          the AMI that version launches
 * @param keptReleaseImage true when that AMI is a deployed release, kept instead of the golden image
 * @param summary          what this call did, in a user's words
 */
public record ProvisionLaunchTemplateOutput(String launchTemplateId, String launchTemplateName, long version,
                                            String imageId, boolean keptReleaseImage, String summary) {
}
