package dev.pipeline.deploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.DeployFixture;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.spec.EnvironmentSpecs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class PrepareReleaseIT {
    private static final String BUCKET = dev.pipeline.local.deploy.LocalDeployment.bucketName("vprofile");

    private PrepareReleaseHandler handler;

    @BeforeEach
    void bucket(LocalCloud cloud, S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
        Map<String, String> env = new HashMap<>(DeployFixture.env(cloud, "PrepareReleaseFunction"));
        env.put("ARTIFACT_BUCKET", BUCKET);
        handler = new PrepareReleaseHandler(env);
    }

    @Test
    void provisionedEnvironment_givesTheSpecItWasProvisionedWith(LocalCloud cloud, S3Client s3) {
        ObjectNode spec = LandingZone.network(cloud).spec();
        ObjectNode manifest = JsonHandler.JSON.createObjectNode().put("manifestVersion", 1).put("environment", "vprofile");
        manifest.set("spec", spec);
        s3.putObject(b -> b.bucket(BUCKET).key("pipeline/vprofile/manifest.json"), RequestBody.fromString(manifest.toString()));

        JsonNode out = StageHarness.invoke(handler, state());

        assertThat(out).isEqualTo(EnvironmentSpecs.toTree(EnvironmentSpecs.fromTree(spec)));
        assertThat(out.path("name").asText()).isEqualTo("vprofile");
    }

    @Test
    void unprovisionedEnvironment_failsSayingSo() {
        assertThatThrownBy(() -> StageHarness.invoke(handler, state())).isInstanceOf(StageFailedException.class)
                .hasMessageContaining("environment vprofile is not provisioned")
                .hasMessageContaining("s3://" + BUCKET + "/pipeline/vprofile/manifest.json");
    }

    @Test
    void anUploadWithoutItsTime_failsNamingTheField(S3Client s3) {
        ObjectNode state = state();
        ((ObjectNode) state.get("upload")).remove("uploadedAt");

        assertThatThrownBy(() -> StageHarness.invoke(handler, state)).isInstanceOf(StageFailedException.class)
                .hasMessageContaining("$.upload.uploadedAt");
    }

    private static ObjectNode state() {
        return DeployFixture.uploadState("releases-app-war-1", "releases/app.war", "ver-1", Instant.parse("2026-11-25T14:00:00.123Z"));
    }
}
