package dev.pipeline.deploy.bake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.artifact.ValidateArtifactHandler;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.image.BakeGoldenImageHandler;
import dev.pipeline.provision.instances.ProvisionAppServerHandler;
import dev.pipeline.provision.network.ProvisionSecurityGroupsHandler;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An environment provisioned far enough for a release bake, built with the provisioning stages themselves: the
 * landing zone (VPC, app subnets, instance profiles, versioned artifact bucket), the security groups, the passwords
 * in SSM (the database one proves no bake carries it), an app01 booted by ProvisionAppServer and imaged by
 * BakeGoldenImage into the golden AMI.
 */
record BakeFixture(LandingZone zone, ObjectNode spec, Map<String, String> env, String appGroupId, String goldenImageId,
                   String databasePassword) {
    static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    static BakeFixture provision(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        Map<String, String> env = new HashMap<>(zone.functionEnvironment(cloud));
        env.put("ENVIRONMENT_NAME", LandingZone.ENVIRONMENT);

        JsonNode groups = StageHarness.invoke(new ProvisionSecurityGroupsHandler(as(cloud, zone, "ProvisionSecurityGroupsFunction")),
                StageHarness.state(spec));
        String appGroup = groups.path("appGroupId").asText();

        // the secrets app01's boot script reads (ProvisionSecrets' parameters)
        String password = "pw-" + UUID.randomUUID();
        SsmClient ssm = cloud.client(SsmClient.class);
        ssm.putParameter(b -> b.name("/pipeline/vprofile/database-password").type(ParameterType.SECURE_STRING).value(password));
        ssm.putParameter(b -> b.name("/pipeline/vprofile/broker-password").type(ParameterType.SECURE_STRING).value("mq-" + UUID.randomUUID()));

        // app01 booted for real by ProvisionAppServer (Tomcat, the helpers, the bootstrap WAR), then imaged
        ObjectNode state = StageHarness.state(spec);
        state.set("securityGroups", groups);
        state.putObject("secrets").put("databasePasswordParameter", "/pipeline/vprofile/database-password")
                .put("brokerPasswordParameter", "/pipeline/vprofile/broker-password");
        JsonNode app01 = StageHarness.invokeUntilReady(new ProvisionAppServerHandler(as(cloud, zone, "ProvisionAppServerFunction")), state, out ->
                cloud.instanceModel().console(out.path("instanceId").asText()).orElse(""));
        state.set("appServer", app01);
        JsonNode golden = StageHarness.invokeUntilReady(new BakeGoldenImageHandler(as(cloud, zone, "BakeGoldenImageFunction")), state);

        return new BakeFixture(zone, spec, env, appGroup, golden.path("imageId").asText(), password);
    }

    /** The environment template.yaml gives function {@code logicalId}, calling AWS as its execution role. */
    Map<String, String> as(LocalCloud cloud, String logicalId) {
        return as(cloud, zone, logicalId);
    }

    private static Map<String, String> as(LocalCloud cloud, LandingZone zone, String logicalId) {
        Map<String, String> env = new HashMap<>(zone.functionEnvironment(cloud, logicalId));
        env.put("ENVIRONMENT_NAME", LandingZone.ENVIRONMENT);
        return env;
    }

    /** A new deploy's state for an upload of {@code war} at {@code key}: $.spec, $.run, $.upload and $.artifact. */
    ObjectNode upload(LocalCloud cloud, String key, byte[] war) {
        String version = cloud.client(S3Client.class).putObject(b -> b.bucket(zone.bucket()).key(key), RequestBody.fromBytes(war)).versionId();
        ObjectNode state = StageHarness.state(spec);
        ObjectNode upload = state.putObject("upload").put("id", "upload-" + UUID.randomUUID())
                .put("uploadedAt", Instant.now().toString()).put("bucket", zone.bucket()).put("key", key).put("versionId", version);
        ObjectNode ref = JsonHandler.JSON.createObjectNode().put("bucket", zone.bucket()).put("key", key).put("versionId", version);
        state.set("artifact", StageHarness.invoke(new ValidateArtifactHandler(as(cloud, "ValidateArtifactFunction")), ref));
        assertThat(upload.path("versionId").asText()).isNotBlank();
        return state;
    }

    /**
     * Calls BakeRelease as the workflow does (its output back into $.release, again while not ready), retrying each
     * call once as a Lambda retry would, until ready or six minutes of wall time (the builder boots, registers its
     * agent and installs the WAR for real). {@code calls} is kept for the callers and no longer bounds the rounds.
     * Returns every output, retries included, the last one ready.
     */
    static List<JsonNode> bakeUntilReady(BakeReleaseHandler handler, ObjectNode state, int calls) {
        List<JsonNode> outputs = new ArrayList<>();
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(6).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode out = StageHarness.invoke(handler, state);
            JsonNode retried = StageHarness.invoke(handler, state);
            assertThat(retried.path("phase").asText()).as("a retried call with the same state").isIn(out.path("phase").asText(),
                    next(out.path("phase").asText()));
            outputs.add(out);
            outputs.add(retried);
            state.set("release", retried);
            if (retried.path("ready").asBoolean()) return outputs;
            pause();
        }
        throw new AssertionError("the bake was not ready after 6 minutes: " + outputs.getLast());
    }

    static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String next(String phase) {
        return switch (phase) {
            case "launching" -> "installing";
            case "installing" -> "imaging";
            case "imaging" -> "ready";
            default -> phase;
        };
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
