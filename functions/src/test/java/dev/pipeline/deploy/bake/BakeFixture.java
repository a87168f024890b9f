package dev.pipeline.deploy.bake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.artifact.ValidateArtifactHandler;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.image.BakeGoldenImageHandler;
import dev.pipeline.provision.network.ProvisionSecurityGroupsHandler;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
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
 * landing zone (VPC, app subnets, instance profiles, versioned artifact bucket), the security groups, an app01
 * imaged by BakeGoldenImage into the golden AMI, and the database password in SSM (to prove no bake carries it).
 */
record BakeFixture(LandingZone zone, ObjectNode spec, Map<String, String> env, String appGroupId, String goldenImageId,
                   String databasePassword) {
    static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    static BakeFixture provision(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        Map<String, String> env = new HashMap<>(zone.functionEnvironment(cloud));
        env.put("ENVIRONMENT_NAME", LandingZone.ENVIRONMENT);

        String appGroup = StageHarness.invoke(new ProvisionSecurityGroupsHandler(env), StageHarness.state(spec))
                .path("appGroupId").asText();

        Ec2Client ec2 = cloud.client(Ec2Client.class);
        String base = cloud.client(SsmClient.class).getParameter(b -> b.name(AL2023)).parameter().value();
        String app01 = ec2.runInstances(r -> r.imageId(base).instanceType("t3.small").minCount(1).maxCount(1)
                .subnetId(zone.appSubnets().getFirst())
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tag("pipeline:environment", LandingZone.ENVIRONMENT),
                        tag("pipeline:component", "app01"),
                        // its boot script's end, as userdata/_prelude.sh reports it: the golden image is made only then
                        tag("pipeline:boot", "complete"))))
                .instances().getFirst().instanceId();
        ObjectNode goldenState = StageHarness.state(spec);
        goldenState.putObject("appServer").put("ready", true).put("instanceId", app01).put("skipped", false);
        var bakeGolden = new BakeGoldenImageHandler(env);
        StageHarness.invoke(bakeGolden, goldenState);
        JsonNode golden = StageHarness.invoke(bakeGolden, goldenState);
        assertThat(golden.path("ready").asBoolean()).as(golden.toString()).isTrue();

        String password = "pw-" + UUID.randomUUID();
        cloud.client(SsmClient.class).putParameter(b -> b.name("/pipeline/vprofile/database-password")
                .type(ParameterType.SECURE_STRING).value(password));
        return new BakeFixture(zone, spec, env, appGroup, golden.path("imageId").asText(), password);
    }

    /** A new deploy's state for an upload of {@code war} at {@code key}: $.spec, $.run, $.upload and $.artifact. */
    ObjectNode upload(LocalCloud cloud, String key, byte[] war) {
        String version = cloud.client(S3Client.class).putObject(b -> b.bucket(zone.bucket()).key(key), RequestBody.fromBytes(war)).versionId();
        ObjectNode state = StageHarness.state(spec);
        ObjectNode upload = state.putObject("upload").put("id", "upload-" + UUID.randomUUID())
                .put("uploadedAt", Instant.now().toString()).put("bucket", zone.bucket()).put("key", key).put("versionId", version);
        ObjectNode ref = JsonHandler.JSON.createObjectNode().put("bucket", zone.bucket()).put("key", key).put("versionId", version);
        state.set("artifact", StageHarness.invoke(new ValidateArtifactHandler(env), ref));
        assertThat(upload.path("versionId").asText()).isNotBlank();
        return state;
    }

    /**
     * Calls BakeRelease as the workflow does (its output back into $.release, again while not ready), retrying each
     * call once as a Lambda retry would; at most {@code calls} rounds. Returns every output, retries included, the last one ready.
     */
    static List<JsonNode> bakeUntilReady(BakeReleaseHandler handler, ObjectNode state, int calls) {
        List<JsonNode> outputs = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            JsonNode out = StageHarness.invoke(handler, state);
            JsonNode retried = StageHarness.invoke(handler, state);
            assertThat(retried.path("phase").asText()).as("a retried call with the same state").isIn(out.path("phase").asText(),
                    next(out.path("phase").asText()));
            outputs.add(out);
            outputs.add(retried);
            state.set("release", retried);
            if (retried.path("ready").asBoolean()) return outputs;
        }
        throw new AssertionError("the bake was not ready after " + calls + " rounds: " + outputs);
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
