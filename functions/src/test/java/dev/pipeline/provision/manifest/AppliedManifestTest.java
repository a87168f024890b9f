package dev.pipeline.provision.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AppliedManifestTest {

    @Test
    void manifest_recordsTheDeploymentGroup_forTheDeployWorkflow_withoutTheStagesChangeLog() {
        ObjectNode spec = JsonHandler.JSON.createObjectNode().put("name", "vprofile");
        ObjectNode codeDeploy = JsonHandler.JSON.createObjectNode().put("applicationName", "vprofile")
                .put("deploymentGroupName", "vprofile-fleet").put("deploymentConfigName", "CodeDeployDefault.OneAtATime");
        codeDeploy.putArray("changes").add("created deployment group vprofile-fleet");

        ObjectNode m = AppliedManifest.of(new SaveManifestInput(spec, null, null, null, null, null, null, null, null, null,
                null, null, codeDeploy), Instant.EPOCH);

        assertThat(m.path("codeDeploy").path("applicationName").asText()).isEqualTo("vprofile");
        assertThat(m.path("codeDeploy").path("deploymentGroupName").asText()).isEqualTo("vprofile-fleet");
        assertThat(m.path("codeDeploy").has("changes")).isFalse();
    }
}
