package dev.pipeline.deploy.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.SampleWars;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.trigger.ExecutionNames;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.gateway.FaultRule;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.refresh.HealthModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.pipeline.deploy.workflow.DeployedEnvironment.FLEET;
import static dev.pipeline.deploy.workflow.DeployedEnvironment.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy workflow end to end, as a user drives it: a WAR uploaded under releases/ starts it through the
 * bucket's EventBridge rule, and the fleet moves to the new AMI with an instance refresh, or stays where it was
 * and says why. Everything below runs real executions of statemachine/deploy.asl.json against the local cloud.
 */
@ExtendWith(LocalCloudExtension.class)
class DeployWorkflowIT {
    private DeployedEnvironment env;

    @BeforeEach
    void provision(LocalCloud cloud) throws Exception {
        env = DeployedEnvironment.provision(cloud);
        env.notifications(); // provisioning's own
    }

    private DescribeExecutionResponse deploy(byte[] war) {
        String version = env.upload(KEY, war);
        return env.awaitDeploy(KEY, version);
    }

    private static String describe(DescribeExecutionResponse e) {
        return e.status() + " " + e.error() + ": " + e.cause();
    }

    private static String imageOf(DescribeExecutionResponse e) {
        return DeployedEnvironment.read(e.output()).path("release").path("imageId").asText();
    }

    @Test
    void v1ThenV2_movesEveryInstanceToTheNewImage_andRecordsTheRelease() {
        DescribeExecutionResponse v1 = deploy(SampleWars.version("1.0.0"));
        assertThat(v1.status()).as(describe(v1)).isEqualTo(ExecutionStatus.SUCCEEDED);
        long v1Version = env.group().launchTemplate().version().transform(Long::parseLong);

        byte[] war2 = SampleWars.version("2.0.0");
        String version2 = env.upload(KEY, war2);
        DescribeExecutionResponse v2 = env.awaitDeploy(KEY, version2);
        assertThat(v2.status()).as(describe(v2)).isEqualTo(ExecutionStatus.SUCCEEDED);

        String ami2 = imageOf(v2);
        assertThat(ami2).isNotEqualTo(imageOf(v1));
        assertThat(env.fleetImages()).hasSize(FLEET).allSatisfy((id, ami) -> assertThat(ami).isEqualTo(ami2));
        long groupVersion = Long.parseLong(env.group().launchTemplate().version());
        assertThat(groupVersion).isGreaterThan(v1Version);
        assertThat(env.templateDefaultVersion()).isEqualTo(groupVersion);

        Release r = env.releases().getFirst();
        assertThat(r.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
        assertThat(r.key()).isEqualTo(KEY);
        assertThat(r.versionId()).isEqualTo(version2);
        assertThat(r.sha256()).isEqualTo(sha256(war2));
        assertThat(r.ami()).isEqualTo(ami2);
        assertThat(r.launchTemplateVersion()).isEqualTo(groupVersion);
        assertThat(r.startedAt()).isNotNull();
        assertThat(r.finishedAt()).isAfterOrEqualTo(r.startedAt());
        assertThat(r.execution()).isNotBlank();

        // the baked image says what it holds
        Image image = env.images().stream().filter(i -> i.imageId().equals(ami2)).findFirst().orElseThrow();
        assertThat(tags(image)).containsEntry("pipeline:artifact-sha256", sha256(war2)).containsEntry("pipeline:artifact-version", version2);
        assertThat(env.liveBuilders()).as("builders left running").isEmpty();
        assertThat(env.notifications()).anySatisfy(n -> assertThat(n).contains("SUCCEEDED").contains(version2));
    }

    @Test
    void theSameEventDeliveredTwice_startsOneDeploy(LocalCloud cloud) {
        String version = env.upload(KEY, SampleWars.version("1.0.0"));
        DescribeExecutionResponse first = env.awaitDeploy(KEY, version);
        assertThat(first.status()).as(describe(first)).isEqualTo(ExecutionStatus.SUCCEEDED);

        // EventBridge delivers at least once: the same Object Created event again, straight to the rule's target
        ObjectNode event = JsonHandler.JSON.createObjectNode();
        event.put("version", "0").put("detail-type", "Object Created").put("source", "aws.s3");
        ObjectNode detail = event.putObject("detail");
        detail.putObject("bucket").put("name", env.deployed.bucket());
        detail.putObject("object").put("key", KEY).put("version-id", version);
        String answer = cloud.client(LambdaClient.class).invoke(b -> b.functionName(DeployedEnvironment.ENV + "-StartDeployFunction")
                .payload(SdkBytes.fromUtf8String(event.toString()))).payload().asUtf8String();

        assertThat(DeployedEnvironment.read(answer).path("duplicate").asBoolean()).as(answer).isTrue();
        List<ExecutionListItem> all = env.awaitIdle();
        assertThat(all).hasSize(1);
        assertThat(all.getFirst().name()).isEqualTo(ExecutionNames.forUpload(KEY, version));
    }

    @Test
    void fiveUploadsInTwoSeconds_neverOverlap_andTheLastOneEndsUpLive(LocalCloud cloud) {
        List<String> versions = new ArrayList<>();
        Map<String, String> shaByVersion = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            byte[] war = SampleWars.version("5." + i);
            String v = env.upload(KEY, war);
            versions.add(v);
            shaByVersion.put(v, sha256(war));
        }
        env.awaitIdle();

        String last = versions.getLast();
        Map<String, ReleaseStatus> statusByVersion = env.releases().stream()
                .collect(Collectors.toMap(Release::versionId, Release::status, (a, b) -> a));
        assertThat(statusByVersion).containsEntry(last, ReleaseStatus.SUCCEEDED);
        assertThat(statusByVersion.keySet()).containsExactlyInAnyOrderElementsOf(versions);
        assertThat(statusByVersion.values()).allMatch(s -> s == ReleaseStatus.SUCCEEDED || s == ReleaseStatus.SUPERSEDED);
        assertThat(statusByVersion.values()).contains(ReleaseStatus.SUPERSEDED);

        // the fleet runs the last upload's image
        Set<String> fleetAmis = Set.copyOf(env.fleetImages().values());
        assertThat(fleetAmis).hasSize(1);
        Image live = env.images().stream().filter(i -> fleetAmis.contains(i.imageId())).findFirst().orElseThrow();
        assertThat(tags(live)).containsEntry("pipeline:artifact-version", last).containsEntry("pipeline:artifact-sha256", shaByVersion.get(last));

        // one refresh per deployed release, never two at once
        List<InstanceRefresh> refreshes = new ArrayList<>(cloud.client(AutoScalingClient.class)
                .describeInstanceRefreshes(b -> b.autoScalingGroupName(DeployedEnvironment.ENV + "-app")).instanceRefreshes());
        refreshes.sort(Comparator.comparing(InstanceRefresh::startTime));
        assertThat(refreshes).hasSize((int) statusByVersion.values().stream().filter(s -> s == ReleaseStatus.SUCCEEDED).count());
        for (int i = 1; i < refreshes.size(); i++) {
            assertThat(refreshes.get(i).startTime()).as("refresh %d starts after refresh %d ended", i, i - 1)
                    .isAfterOrEqualTo(refreshes.get(i - 1).endTime());
        }
        assertThat(env.notifications()).anySatisfy(n -> assertThat(n).contains("SUPERSEDED"));
    }

    @Test
    void eachBadArtifact_isRejectedWithItsReason_andChangesNothing() {
        DescribeExecutionResponse v1 = deploy(SampleWars.version("1.0.0"));
        assertThat(v1.status()).as(describe(v1)).isEqualTo(ExecutionStatus.SUCCEEDED);
        Map<String, String> fleet = env.fleetImages();
        long versions = env.templateVersionCount();
        Set<String> images = env.images().stream().map(Image::imageId).collect(Collectors.toSet());

        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("not a zip", "this is not a zip".getBytes());
        bad.put("empty", new byte[0]);
        bad.put("WEB-INF", SampleWars.zip(Map.of("index.html", "hi".getBytes())));
        bad.put("..", SampleWars.warWith("../../etc/cron.d/x", "x".getBytes()));
        bad.put("absolute", SampleWars.warWith("/etc/passwd", "x".getBytes()));
        for (var b : bad.entrySet()) {
            DescribeExecutionResponse end = deploy(b.getValue());
            assertThat(end.status()).as(b.getKey()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(end.cause()).as(b.getKey()).containsIgnoringCase("rejected").containsIgnoringCase(b.getKey());
        }

        assertThat(env.fleetImages()).isEqualTo(fleet);
        assertThat(env.templateVersionCount()).isEqualTo(versions);
        assertThat(env.images().stream().map(Image::imageId).collect(Collectors.toSet())).isEqualTo(images);
        assertThat(env.liveBuilders()).isEmpty();
        assertThat(env.releases().stream().filter(r -> r.status() == ReleaseStatus.REJECTED)).hasSize(bad.size())
                .allSatisfy(r -> assertThat(r.reason()).isNotBlank());
        assertThat(env.notifications()).filteredOn(n -> n.contains("REJECTED")).hasSize(bad.size());
    }

    @Test
    void aWarWhoseHealthPathAnswers500_failsTheBake_andChangesNothing() {
        DescribeExecutionResponse v1 = deploy(SampleWars.version("1.0.0"));
        assertThat(v1.status()).as(describe(v1)).isEqualTo(ExecutionStatus.SUCCEEDED);
        Map<String, String> fleet = env.fleetImages();
        String groupVersion = env.group().launchTemplate().version();
        long versions = env.templateVersionCount();
        Set<String> images = env.images().stream().map(Image::imageId).collect(Collectors.toSet());
        env.notifications();

        // the sample app's broken build: its /login answers 500, so the builder's own health check fails
        String version = env.upload(KEY, SampleWars.broken("3.0.0"));
        DescribeExecutionResponse v3 = env.awaitDeploy(KEY, version);

        assertThat(v3.status()).as(describe(v3)).isEqualTo(ExecutionStatus.FAILED);
        assertThat(v3.cause()).contains("/login").contains("last status: 500");
        assertThat(env.fleetImages()).isEqualTo(fleet);
        assertThat(env.group().launchTemplate().version()).isEqualTo(groupVersion);
        assertThat(env.templateVersionCount()).isEqualTo(versions);
        assertThat(env.images().stream().map(Image::imageId).collect(Collectors.toSet())).isEqualTo(images);
        assertThat(env.liveBuilders()).as("builders left running").isEmpty();
        Release r = env.releases().getFirst();
        assertThat(r.versionId()).isEqualTo(version);
        assertThat(r.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(r.reason()).contains("last status: 500");
    }

    @Test
    void aNewImageFailingHealthChecksOnTheFleet_isRolledBack_andTheReleaseFails(LocalCloud cloud) {
        DescribeExecutionResponse v1 = deploy(SampleWars.version("1.0.0"));
        assertThat(v1.status()).as(describe(v1)).isEqualTo(ExecutionStatus.SUCCEEDED);
        String ami1 = imageOf(v1);
        String groupVersion = env.group().launchTemplate().version();
        long defaultVersion = env.templateDefaultVersion();
        env.notifications();

        // passes the bake (it answers /login on the builder), then fails on the fleet: the health model's stand-in
        // for what differs between a builder and a fleet instance (see local/README.md, "Health model")
        byte[] war = SampleWars.version("3.0.0");
        HealthModel.of(cloud).markArtifactUnhealthy(sha256(war));
        String version = env.upload(KEY, war);
        DescribeExecutionResponse v3 = env.awaitDeploy(KEY, version);

        assertThat(v3.status()).as(describe(v3)).isEqualTo(ExecutionStatus.FAILED);
        assertThat(v3.error()).isEqualTo("ReleaseRolledBack");
        assertThat(Executions.statesEntered(cloud.client(SfnClient.class), v3.executionArn())).contains("BakeRelease", "RolloutRelease");
        assertThat(env.fleetImages()).hasSize(FLEET).allSatisfy((id, ami) -> assertThat(ami).isEqualTo(ami1));
        assertThat(env.group().launchTemplate().version()).isEqualTo(groupVersion);
        assertThat(env.templateDefaultVersion()).isEqualTo(defaultVersion);
        Release r = env.releases().getFirst();
        assertThat(r.versionId()).isEqualTo(version);
        assertThat(r.status()).isEqualTo(ReleaseStatus.ROLLED_BACK);
        assertThat(r.reason()).contains("instance refresh");
        assertThat(env.notifications()).map(DeployedEnvironment::read).anySatisfy(n -> {
            assertThat(n.path("outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(n.path("versionId").asText()).isEqualTo(version);
            assertThat(n.path("reason").asText()).contains("failed its health checks");
        });
    }

    @Test
    void aFailureDuringTheBake_terminatesTheBuilder_andLeavesNoImage(LocalCloud cloud) {
        DescribeExecutionResponse v1 = deploy(SampleWars.version("1.0.0"));
        assertThat(v1.status()).as(describe(v1)).isEqualTo(ExecutionStatus.SUCCEEDED);
        Set<String> images = env.images().stream().map(Image::imageId).collect(Collectors.toSet());
        Map<String, String> fleet = env.fleetImages();

        cloud.injectFault(FaultRule.error("ec2", "CreateImage", 400, "InvalidParameterValue", "injected: the builder cannot be imaged"));
        DescribeExecutionResponse v2 = deploy(SampleWars.version("2.0.0"));

        assertThat(v2.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(v2.cause()).contains("injected");
        List<String> entered = Executions.statesEntered(cloud.client(SfnClient.class), v2.executionArn());
        assertThat(entered).contains("BakeRelease", "CleanupBake").doesNotContain("RolloutRelease");
        assertThat(env.liveBuilders()).isEmpty();
        assertThat(env.images().stream().map(Image::imageId).collect(Collectors.toSet())).isEqualTo(images);
        assertThat(env.fleetImages()).isEqualTo(fleet);
        assertThat(env.releases().getFirst().status()).isEqualTo(ReleaseStatus.FAILED);
    }

    @Test
    void rollback_putsThePreviousImageLive_withoutABake(LocalCloud cloud, SfnClient sfn) {
        DescribeExecutionResponse v1 = deploy(SampleWars.version("1.0.0"));
        DescribeExecutionResponse v2 = deploy(SampleWars.version("2.0.0"));
        assertThat(v2.status()).as(describe(v2)).isEqualTo(ExecutionStatus.SUCCEEDED);
        String ami1 = imageOf(v1);
        int buildersBefore = env.builders(false).size();
        int imagesBefore = env.images().size();

        ObjectNode input = JsonHandler.JSON.createObjectNode();
        input.put("mode", "rollback");
        input.putNull("rollbackTo");
        input.putObject("upload").put("id", "rollback-test").put("uploadedAt", java.time.Instant.now().toString());
        input.putObject("run").put("pollSeconds", 1).put("timeoutSeconds", 240);
        String arn = sfn.startExecution(b -> b.stateMachineArn(env.deployMachineArn()).name("rollback-test").input(input.toString()))
                .executionArn();
        DescribeExecutionResponse end = Executions.awaitEnd(sfn, arn, java.time.Duration.ofMinutes(3));

        assertThat(end.status()).as(describe(end)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Executions.statesEntered(sfn, arn)).doesNotContain("BakeRelease", "ValidateArtifact");
        assertThat(env.fleetImages()).hasSize(FLEET).allSatisfy((id, ami) -> assertThat(ami).isEqualTo(ami1));
        assertThat(env.images()).hasSize(imagesBefore);
        assertThat(env.builders(false)).as("builders ever launched").hasSize(buildersBefore);
        Release r = env.releases().getFirst();
        assertThat(r.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
        assertThat(r.ami()).isEqualTo(ami1);
        assertThat(r.rollbackOf()).isNotBlank();
        // a rollback's refresh watches no alarms (one still in ALARM from the bad release would stop it at once), while
        // the releases' refreshes before it watched both
        List<InstanceRefresh> refreshes = cloud.client(AutoScalingClient.class)
                .describeInstanceRefreshes(b -> b.autoScalingGroupName(env.group().autoScalingGroupName())).instanceRefreshes();
        assertThat(refreshes.getFirst().preferences().alarmSpecification()).satisfiesAnyOf(
                a -> assertThat(a).isNull(), a -> assertThat(a.alarms()).isEmpty());
        assertThat(refreshes.get(1).preferences().alarmSpecification().alarms())
                .containsExactly("vprofile-target-5xx", "vprofile-healthy-hosts");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> tags(Image image) {
        return image.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }
}
