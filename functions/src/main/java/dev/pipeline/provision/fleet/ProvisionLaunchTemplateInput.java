package dev.pipeline.provision.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run, the app security group and the golden image. */
public record ProvisionLaunchTemplateInput(JsonNode spec, Run run, SecurityGroups securityGroups, GoldenImage goldenImage) {

    /** {@code $.securityGroups} as ProvisionSecurityGroups left it. */
    public record SecurityGroups(String appGroupId) {
    }

    /** {@code $.goldenImage} as BakeGoldenImage left it. */
    public record GoldenImage(String imageId) {
    }
}
