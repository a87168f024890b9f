package dev.pipeline.deploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/** The workflow state, of which this stage reads the spec, the run and the release's image. */
public record CreateReleaseVersionInput(JsonNode spec, Run run, Release release) {

    /** {@code $.release}: the baked AMI, and the release's id when it has one. */
    public record Release(String imageId, String releaseId) {
    }
}
