package dev.pipeline.deploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run, the release's version and its own last output. */
public record RolloutReleaseInput(JsonNode spec, Run run, ReleaseVersion releaseVersion, Rollout rollout) {

    /** {@code $.releaseVersion} as CreateReleaseVersion left it. */
    public record ReleaseVersion(String launchTemplateId, Long previousVersion, Long version, String imageId) {
    }

    /** {@code $.rollout} as the previous call of this stage left it (absent on the first call). */
    public record Rollout(String instanceRefreshId, String rollbackRefreshId) {
    }
}
