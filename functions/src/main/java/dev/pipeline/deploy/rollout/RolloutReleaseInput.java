package dev.pipeline.deploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run, the release's version and its own last output. */
public record RolloutReleaseInput(JsonNode spec, Run run, ReleaseVersion releaseVersion, Rollout rollout, String mode,
                                  InPlace inPlace) {

    public RolloutReleaseInput(JsonNode spec, Run run, ReleaseVersion releaseVersion, Rollout rollout, String mode) {
        this(spec, run, releaseVersion, rollout, mode, null);
    }

    /** {@code $.inPlace} as DeployInPlace left it: present when the release already went live in place. */
    public record InPlace(String outcome, String deploymentId) {
        public boolean live() { return "DEPLOYED".equals(outcome); }
    }

    /** {@code $.mode} of a rollback run (./pipeline rollback); a release's run has none. */
    public static final String ROLLBACK_MODE = "rollback";

    /** {@code $.releaseVersion} as CreateReleaseVersion left it. */
    public record ReleaseVersion(String launchTemplateId, Long previousVersion, Long version, String imageId) {
    }

    /** {@code $.rollout} as the previous call of this stage left it (absent on the first call). */
    public record Rollout(String instanceRefreshId, String rollbackRefreshId) {
    }
}
