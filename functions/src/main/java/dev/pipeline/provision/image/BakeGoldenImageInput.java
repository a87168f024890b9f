package dev.pipeline.provision.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipeline.functions.Run;

/**
 * What BakeGoldenImage reads from the workflow state: the spec, the run and ProvisionAppServer's output
 * ({@code $.appServer}).
 */
public record BakeGoldenImageInput(JsonNode spec, Run run, AppServer appServer) {

    /**
     * {@code $.appServer}.
     *
     * @param skipped true when ProvisionAppServer launched nothing because a golden image already exists
     */
    public record AppServer(Boolean ready, String instanceId, String privateIp, Boolean skipped) {
        boolean wasSkipped() { return Boolean.TRUE.equals(skipped); }
    }
}
