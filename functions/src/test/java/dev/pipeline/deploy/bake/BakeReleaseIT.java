package dev.pipeline.deploy.bake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.SampleWars;
import dev.pipeline.deploy.release.ReleaseIds;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.FaultRule;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.twist.Twists;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static dev.pipeline.deploy.bake.BakeFixture.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BakeRelease and CleanupBake against an environment provisioned by the provisioning stages (security groups, golden
 * image), called the way the deploy workflow calls them. moto's Run Command reports every command Success at once
 * (local/README.md), so these tests check what was sent, not what ran; BakeCommandTest runs the script.
 */
@ExtendWith(LocalCloudExtension.class)
class BakeReleaseIT {
    private static final String KEY = "releases/app.war";

    private LocalCloud cloud;
    private BakeFixture env;

    @BeforeEach
    void provision(LocalCloud cloud) {
        this.cloud = cloud;
        env = BakeFixture.provision(cloud);
    }

    @Test
    void bake_makesATaggedReleaseImage_onTheGoldenImage_andTerminatesTheBuilder(Ec2Client ec2, SsmClient ssm) {
        // given an uploaded and validated WAR
        ObjectNode state = env.upload(cloud, KEY, SampleWars.version("1"));
        String sha = state.path("artifact").path("sha256").asText();
        String version = state.path("upload").path("versionId").asText();
        String releaseId = ReleaseIds.of(Instant.parse(state.path("upload").path("uploadedAt").asText()),
                state.path("upload").path("id").asText());
        long launchesBefore = cloud.count("ec2", "RunInstances");

        // when the workflow calls the bake: the first call launches the builder ...
        var bake = new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction"));
        JsonNode first = StageHarness.invoke(bake, state);
        String builderId = first.path("builderInstanceId").asText();
        assertThat(first.path("phase").asText()).isEqualTo("launching");
        assertThat(first.path("ready").asBoolean()).isFalse();

        // ... which runs the golden image hardened like an app server (moto forgets the profile once terminated)
        Instance running = instance(ec2, builderId);
        assertThat(running.imageId()).isEqualTo(env.goldenImageId());
        assertThat(running.metadataOptions().httpTokens()).isEqualTo(HttpTokensState.REQUIRED);
        assertThat(running.securityGroups()).extracting(g -> g.groupId()).containsExactly(env.appGroupId());
        assertThat(running.subnetId()).isEqualTo(env.zone().appSubnets().getFirst());
        assertThat(running.iamInstanceProfile().arn()).endsWith("/" + env.zone().appProfile());
        assertThat(running.tags()).contains(tag("pipeline:component", "builder"), tag("pipeline:release", releaseId));

        // ... and the next calls, each retried once, go on until the release is ready
        state.set("release", first);
        List<JsonNode> calls = BakeFixture.bakeUntilReady(bake, state, 10);
        JsonNode done = calls.getLast();

        // then it went through the builder, the install command and CreateImage, once each
        assertThat(calls).extracting(c -> c.path("phase").asText()).containsSubsequence("installing", "imaging", "ready");
        assertThat(cloud.count("ec2", "RunInstances") - launchesBefore).isEqualTo(1);
        assertThat(cloud.count("ec2", "CreateImage")).isEqualTo(2); // the golden image, then this release's
        assertThat(done.path("reused").asBoolean()).isFalse();
        assertThat(done.path("releaseId").asText()).isEqualTo(releaseId);
        assertThat(done.path("baseImageId").asText()).isEqualTo(env.goldenImageId());

        // the AMI is available, made from the builder, and tagged with the release and the artifact
        Image image = ec2.describeImages(b -> b.imageIds(done.path("imageId").asText())).images().getFirst();
        assertThat(done.path("builderInstanceId").asText()).isEqualTo(builderId);
        assertThat(image.stateAsString()).isEqualTo("available");
        assertThat(image.sourceInstanceId()).isEqualTo(builderId);
        assertThat(image.tags()).contains(tag("pipeline:environment", "vprofile"), tag("pipeline:component", "release-ami"),
                tag("pipeline:release", releaseId), tag("pipeline:artifact-sha256", sha), tag("pipeline:artifact-key", KEY),
                tag("pipeline:artifact-version", version), tag("pipeline:base-ami", env.goldenImageId()));
        List<String> snapshots = image.blockDeviceMappings().stream().map(m -> m.ebs().snapshotId()).toList();
        assertThat(ec2.describeSnapshots(b -> b.snapshotIds(snapshots)).snapshots())
                .allSatisfy(s -> assertThat(s.tags()).contains(tag("pipeline:release", releaseId)));

        // the builder is gone
        assertThat(instance(ec2, builderId).state().nameAsString()).isIn("shutting-down", "terminated");

        // exactly one command went to it: that bucket, key, version and sha256, and no secret
        List<Command> commands = ssm.listCommands(b -> b.instanceId(builderId)).commands();
        assertThat(commands).hasSize(1);
        Command command = commands.getFirst();
        assertThat(command.commandId()).isEqualTo(done.path("commandId").asText());
        assertThat(command.documentName()).isEqualTo("AWS-RunShellScript");
        List<String> lines = command.parameters().get("commands");
        assertThat(lines).contains("source_uri='s3://" + env.zone().bucket() + "/" + KEY + "'",
                "version_id='" + version + "'", "sha256='" + sha + "'",
                "\"$helper\" \"$source_uri\" \"$version_id\" \"$sha256\"",
                "health_url='http://127.0.0.1:8080/login'");
        assertThat(String.join("\n", lines)).doesNotContain(env.databasePassword()).doesNotContain("with-decryption")
                .doesNotContain(env.env().get("AWS_SECRET_ACCESS_KEY") + "@");
    }

    @Test
    void aBuilderStoppedByHand_isStartedAgain_andTheBakeGoesOn(Ec2Client ec2) {
        // given a bake whose builder someone stopped
        ObjectNode state = env.upload(cloud, KEY, SampleWars.version("1"));
        var bake = new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction"));
        JsonNode first = StageHarness.invoke(bake, state);
        String builderId = first.path("builderInstanceId").asText();
        ec2.stopInstances(b -> b.instanceIds(builderId));
        assertThat(instance(ec2, builderId).state().nameAsString()).isEqualTo("stopped");
        long startsBefore = cloud.count("ec2", "StartInstances");

        // when the workflow calls again (as the function's role: it may start only this environment's builders)
        state.set("release", first);
        List<JsonNode> calls = BakeFixture.bakeUntilReady(bake, state, 10);

        // then the same builder was started, not a second one launched, and the release was baked on it
        assertThat(calls).extracting(c -> c.path("summary").asText()).anyMatch(m -> m.contains("started the stopped builder " + builderId));
        assertThat(cloud.count("ec2", "StartInstances") - startsBefore).isEqualTo(1);
        assertThat(calls.getLast().path("builderInstanceId").asText()).isEqualTo(builderId);
        assertThat(ec2.describeImages(b -> b.imageIds(calls.getLast().path("imageId").asText())).images().getFirst().sourceInstanceId())
                .isEqualTo(builderId);
    }

    @Test
    void aBuilderThatNeverRegistersWithSsm_failsTheBakeAfterTheLimit_namingTheLikelyCauses(Ec2Client ec2) {
        // given a builder launched without an instance profile: its SSM agent can never register (as on AWS)
        ObjectNode state = env.upload(cloud, KEY, SampleWars.version("1"));
        var aws = new dev.pipeline.functions.AwsClients(new dev.pipeline.functions.Env(env.env()));
        Ec2Client client = aws.get(Ec2Client.class, Ec2Client::builder);
        var ssm = aws.get(software.amazon.awssdk.services.ssm.SsmClient.class, software.amazon.awssdk.services.ssm.SsmClient::builder);
        var service = new BakeReleaseService(new BakeGateway(client, ssm),
                new dev.pipeline.provision.instances.InstanceGateway(client, ssm),
                new dev.pipeline.provision.network.SecurityGroupGateway(client), null);
        var bake = new BakeReleaseHandler(service);
        JsonNode launched = StageHarness.invoke(bake, state);
        state.set("release", launched);
        JsonNode waiting = StageHarness.invoke(bake, state);
        assertThat(waiting.path("ready").asBoolean()).isFalse();
        assertThat(waiting.path("summary").asText() + waiting.toString()).contains("waiting for the SSM agent");

        // when the bake looks again after the registration limit (its clock 11 minutes on)
        state.set("release", waiting);
        var late = new BakeReleaseHandler(service.withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(11))));

        // then it fails, naming the builder and what to check
        assertThatThrownBy(() -> StageHarness.invoke(late, state))
                .hasMessageContaining(launched.path("builderInstanceId").asText())
                .hasMessageContaining("has not registered with Systems Manager")
                .hasMessageContaining("NAT").hasMessageContaining("VPC endpoints").hasMessageContaining("instance profile");
    }

    @Test
    void bake_reusesTheImage_ofTheSameSha256_onTheSameGoldenImage_withoutABuilder(Ec2Client ec2, SsmClient ssm) {
        // given release 1 baked from a WAR
        byte[] war = SampleWars.version("1");
        JsonNode first = BakeFixture.bakeUntilReady(new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction")), env.upload(cloud, KEY, war), 10).getLast();
        long launches = cloud.count("ec2", "RunInstances");
        long commands = cloud.count("ssm", "SendCommand");

        // when the same bytes are uploaded again (another key, another version: another release)
        ObjectNode again = env.upload(cloud, "releases/copy-of-app.war", war);
        JsonNode out = StageHarness.invoke(new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction")), again);

        // then the first release's image is taken at once: no builder, no command, no image
        assertThat(out.path("ready").asBoolean()).isTrue();
        assertThat(out.path("reused").asBoolean()).isTrue();
        assertThat(out.path("phase").asText()).isEqualTo("reused");
        assertThat(out.path("imageId").asText()).isEqualTo(first.path("imageId").asText());
        assertThat(out.has("builderInstanceId")).isFalse();
        assertThat(cloud.count("ec2", "RunInstances")).isEqualTo(launches);
        assertThat(cloud.count("ssm", "SendCommand")).isEqualTo(commands);
        assertThat(releaseImages(ec2)).hasSize(1);

        // and a different WAR is baked anew
        JsonNode other = BakeFixture.bakeUntilReady(new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction")),
                env.upload(cloud, KEY, SampleWars.version("2")), 10).getLast();
        assertThat(other.path("reused").asBoolean()).isFalse();
        assertThat(other.path("imageId").asText()).isNotEqualTo(first.path("imageId").asText());
        assertThat(cloud.count("ec2", "RunInstances")).isEqualTo(launches + 1);
    }

    @Test
    void createImageRefused_failsTheStageNamingTheBuilder_andCleanupLeavesNothing(Ec2Client ec2) {
        // given a bake whose CreateImage EC2 refuses
        ObjectNode state = env.upload(cloud, KEY, SampleWars.version("1"));
        cloud.injectFault(FaultRule.error("ec2", "CreateImage", 400, "InvalidParameterValue",
                "The instance's root volume cannot be imaged (injected)"));
        var bake = new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction"));

        // when the workflow calls it until it fails
        StageFailedException failure = bakeUntilFailure(bake, state);

        // then the stage failed saying what and where
        String builder = state.path("release").path("builderInstanceId").asText();
        assertThat(failure.getMessage()).contains("refused to image the builder " + builder)
                .contains("InvalidParameterValue").contains("injected");
        assertThat(instance(ec2, builder).state().nameAsString()).isEqualTo("running");

        // and CleanupBake terminates the builder; no image of the release exists
        JsonNode cleanup = StageHarness.invoke(new CleanupBakeHandler(env.as(cloud, "CleanupBakeFunction")), state);
        assertThat(cleanup.path("terminated")).extracting(JsonNode::asText).containsExactly(builder);
        assertThat(instance(ec2, builder).state().nameAsString()).isIn("shutting-down", "terminated");
        assertThat(releaseImages(ec2)).isEmpty();
    }

    @Test
    void imageThatFails_failsTheStage_andCleanupLeavesNoBuilderImageOrSnapshot_evenWhenRunTwice(Ec2Client ec2) {
        // given a bake that got as far as CreateImage
        ObjectNode state = env.upload(cloud, KEY, SampleWars.version("1"));
        var bake = new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction"));
        JsonNode last = StageHarness.invoke(bake, state);
        while (!last.path("phase").asText().equals("imaging")) {
            state.set("release", last);
            last = StageHarness.invoke(bake, state);
        }
        state.set("release", last);
        String imageId = last.path("imageId").asText();
        String builder = last.path("builderInstanceId").asText();
        List<String> snapshots = ec2.describeImages(b -> b.imageIds(imageId)).images().getFirst().blockDeviceMappings().stream()
                .map(m -> m.ebs().snapshotId()).toList();
        assertThat(snapshots).isNotEmpty();
        // moto never fails an image; AWS does. The bake's next look (its first call lists release images) sees it failed.
        Twists.on(cloud).once("ec2", "DescribeImages", (request, moto) -> {
            GatewayResponse r = moto.forward(request);
            return r.withBody(r.bodyText().replaceAll("(?s)(<imageId>" + imageId + "</imageId>.*?<imageState>)available(</imageState>)",
                    "$1failed$2"));
        });

        // when the workflow calls it again, then it fails naming the image, and deregisters it
        assertThatThrownBy(() -> StageHarness.invoke(bake, state)).isInstanceOf(StageFailedException.class)
                .hasMessageContaining(imageId).hasMessageContaining("failed").hasMessageContaining("deregistered");

        // and CleanupBake, run twice as a retried Catch path would, leaves nothing of the release and never throws
        var cleanup = new CleanupBakeHandler(env.as(cloud, "CleanupBakeFunction"));
        JsonNode once = StageHarness.invoke(cleanup, state);
        JsonNode twice = StageHarness.invoke(cleanup, state);
        assertThat(once.path("terminated")).extracting(JsonNode::asText).containsExactly(builder);
        assertThat(twice.path("terminated")).isEmpty();
        assertThat(twice.path("deregistered")).isEmpty();
        assertThat(twice.path("deletedSnapshots")).isEmpty();
        assertThat(instance(ec2, builder).state().nameAsString()).isIn("shutting-down", "terminated");
        assertThat(releaseImages(ec2)).isEmpty();
        assertThat(ec2.describeSnapshots(b -> b.filters(Filter.builder().name("snapshot-id").values(snapshots).build())).snapshots())
                .isEmpty();
    }

    @Test
    void oddKey_isPassedToTheBuilder_asOneQuotedWord(SsmClient ssm) throws Exception {
        // given a WAR uploaded under a key with spaces, quotes, $, ';', a backtick and non-ASCII characters
        String key = "releases/it's a \"quoted\" $HOME; `id` ünïcödé 日本.war";
        ObjectNode state = env.upload(cloud, key, SampleWars.version("1"));

        JsonNode done = BakeFixture.bakeUntilReady(new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction")), state, 10).getLast();

        // then the command assigns exactly that URI, which a shell reads back unchanged
        List<String> lines = ssm.listCommands(b -> b.instanceId(done.path("builderInstanceId").asText())).commands()
                .getFirst().parameters().get("commands");
        String assignment = lines.stream().filter(l -> l.startsWith("source_uri=")).findFirst().orElseThrow();
        assertThat(assignment).isEqualTo("source_uri='s3://" + env.zone().bucket() + "/releases/it'\\''s a \"quoted\" $HOME; `id` ünïcödé 日本.war'");
        // the script goes in on stdin as UTF-8: command-line arguments would be encoded in the platform charset,
        // which is ASCII under a bare environment (CI's env -i)
        Process sh = new ProcessBuilder("/bin/sh").start();
        try (var in = sh.getOutputStream()) {
            in.write((assignment + "\nprintf '%s' \"$source_uri\"\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("s3://" + env.zone().bucket() + "/" + key);
        assertThat(sh.waitFor()).isZero();
    }

    @Test
    void cleanup_removesTheBakedImageAndItsSnapshots_whenNothingLaunchesIt(Ec2Client ec2) {
        // given a baked release and a run that failed before any launch template version named its AMI
        ObjectNode state = env.upload(cloud, KEY, SampleWars.version("1"));
        JsonNode done = BakeFixture.bakeUntilReady(new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction")), state, 10).getLast();
        String imageId = done.path("imageId").asText();
        List<String> snapshots = ec2.describeImages(b -> b.imageIds(imageId)).images().getFirst().blockDeviceMappings().stream()
                .map(m -> m.ebs().snapshotId()).toList();
        state.set("release", done);

        // when CleanupBake runs (as its role: it may remove only this environment's images and snapshots)
        JsonNode out = StageHarness.invoke(new CleanupBakeHandler(env.as(cloud, "CleanupBakeFunction")), state);

        // then the image and its snapshots are gone, and the golden image it was baked on is not
        assertThat(out.path("deregistered")).extracting(JsonNode::asText).containsExactly(imageId);
        assertThat(out.path("deletedSnapshots")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(snapshots);
        assertThat(releaseImages(ec2)).isEmpty();
        assertThat(ec2.describeImages(b -> b.imageIds(env.goldenImageId())).images()).extracting(Image::stateAsString)
                .containsExactly("available");
    }

    @Test
    void cleanup_keepsAnImageALaunchTemplateVersionReferences_andIsIdempotent(Ec2Client ec2) {
        // given a baked release whose AMI a launch template version already launches (a failure after CreateReleaseVersion)
        ObjectNode state = env.upload(cloud, KEY, SampleWars.version("1"));
        JsonNode done = BakeFixture.bakeUntilReady(new BakeReleaseHandler(env.as(cloud, "BakeReleaseFunction")), state, 10).getLast();
        String imageId = done.path("imageId").asText();
        ec2.createLaunchTemplate(b -> b.launchTemplateName("vprofile-app")
                .launchTemplateData(d -> d.imageId(env.goldenImageId()).instanceType("t3.small")));
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateName("vprofile-app").launchTemplateData(d -> d.imageId(imageId)));
        List<String> snapshots = ec2.describeImages(b -> b.imageIds(imageId)).images().getFirst().blockDeviceMappings().stream()
                .map(m -> m.ebs().snapshotId()).toList();
        assertThat(snapshots).isNotEmpty();

        // when CleanupBake runs twice
        var cleanup = new CleanupBakeHandler(env.as(cloud, "CleanupBakeFunction"));
        JsonNode once = StageHarness.invoke(cleanup, state);
        JsonNode twice = StageHarness.invoke(cleanup, state);

        // then the image and its snapshots are still there, and both calls say so
        for (JsonNode out : List.of(once, twice)) {
            assertThat(out.path("deregistered")).isEmpty();
            assertThat(out.path("deletedSnapshots")).isEmpty();
            assertThat(out.path("summary").asText()).contains("kept " + imageId);
        }
        assertThat(ec2.describeImages(b -> b.imageIds(imageId)).images()).extracting(Image::stateAsString).containsExactly("available");
        assertThat(ec2.describeSnapshots(b -> b.snapshotIds(snapshots)).snapshots()).extracting(Snapshot::snapshotId)
                .containsExactlyInAnyOrderElementsOf(snapshots);
    }

    private static StageFailedException bakeUntilFailure(BakeReleaseHandler bake, ObjectNode state) {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(6).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode out = StageHarness.invoke(bake, state);
                assertThat(out.path("ready").asBoolean()).as("the bake should fail, not finish: " + out).isFalse();
                state.set("release", out);
            } catch (StageFailedException e) {
                return e;
            }
            BakeFixture.pause();
        }
        throw new AssertionError("the bake did not fail within 6 minutes: " + state.path("release"));
    }

    private static Instance instance(Ec2Client ec2, String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().getFirst().instances().getFirst();
    }

    private static List<Image> releaseImages(Ec2Client ec2) {
        return ec2.describeImages(b -> b.owners("self").filters(
                Filter.builder().name("tag:pipeline:environment").values(LandingZone.ENVIRONMENT).build(),
                Filter.builder().name("tag:pipeline:component").values("release-ami").build())).images();
    }
}
