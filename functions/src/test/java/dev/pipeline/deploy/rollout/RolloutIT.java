package dev.pipeline.deploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.AwsClients;
import dev.pipeline.functions.Env;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.deploy.SamTemplate;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.refresh.HealthModel;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.alarms.AlarmGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The release stages against an environment the provisioning workflow built (4 app servers, 1 s warm-up): a healthy
 * image goes live on every instance; an unhealthy one is rolled back to the previous version and AMI; retries of
 * either stage make no second launch template version and no second refresh.
 */
@ExtendWith(LocalCloudExtension.class)
class RolloutIT {
    private static final String GROUP = "vprofile-app";
    private static final int FLEET = 4;

    private LandingZone zone;
    private ObjectNode spec;
    private JsonNode provisioned;
    private LocalCloud cloud;

    @BeforeEach
    void provision(LocalCloud cloud, SfnClient sfn) throws Exception {
        zone = LandingZone.network(cloud);
        var deployed = LocalDeployment.inProcess(cloud, SamTemplate.read(SamTemplate.locate(Path.of("")))).deploy("vprofile", Map.of());
        spec = zone.spec();
        ((ObjectNode) spec.get("fleet")).put("min", 1).put("desired", FLEET).put("max", FLEET);
        ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 1);
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        in.set("spec", spec);
        in.putObject("run").put("pollSeconds", 1).put("timeoutSeconds", 240);
        String arn = sfn.startExecution(b -> b.stateMachineArn(deployed.stateMachineArn("ProvisionStateMachine"))
                .name("provision-" + UUID.randomUUID()).input(in.toString())).executionArn();
        DescribeExecutionResponse end = Executions.awaitEnd(sfn, arn, Duration.ofMinutes(5));
        assertThat(end.status()).as(end.error() + ": " + end.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        provisioned = JsonHandler.JSON.readTree(end.output());
        this.cloud = cloud;
    }

    /** The stage's environment, calling AWS as its execution role (the network-only landing zone has no bucket or profiles; these stages need only the AWS endpoint). */
    private Map<String, String> as(String logicalId) {
        Map<String, String> env = new java.util.HashMap<>(zone.functionEnvironment(cloud, logicalId));
        env.values().removeIf(java.util.Objects::isNull);
        return env;
    }

    @Test
    void healthyRelease_isDeployed_onEveryInstance_andBecomesTheDefault(LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg) {
        // given a v2 image baked from one of the running app servers
        String v1 = provisioned.path("launchTemplate").path("imageId").asText();
        long v1Version = groupVersion(asg);
        String v2 = bake(ec2, asg, "v2");

        // when the release version is made and rolled out, the first call retried once (a Lambda retry)
        ObjectNode state = release(v2, "r-v2");
        JsonNode version = StageHarness.invoke(new CreateReleaseVersionHandler(as("CreateReleaseVersionFunction")), state);
        state.set("releaseVersion", version);
        var rollout = new RolloutReleaseHandler(as("RolloutReleaseFunction"));
        JsonNode first = StageHarness.invoke(rollout, state);
        JsonNode retried = StageHarness.invoke(rollout, state);
        JsonNode end = pollUntilReady(rollout, state, retried);

        // then one refresh moved every instance to v2, and the group and the template default are on the new version
        assertThat(retried.path("instanceRefreshId").asText()).isEqualTo(first.path("instanceRefreshId").asText());
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes()).hasSize(1);
        assertThat(end.path("outcome").asText()).as(end.toString()).isEqualTo("DEPLOYED");
        // launch before terminate, the spec's default: the whole fleet serves while its replacements warm up
        var preferences = asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes().getFirst().preferences();
        assertThat(preferences.minHealthyPercentage()).isEqualTo(100);
        assertThat(preferences.maxHealthyPercentage()).isEqualTo(200);
        // watched by the environment's alarms, during the refresh and for the spec's bake time after it
        assertThat(preferences.alarmSpecification().alarms()).containsExactly("vprofile-target-5xx", "vprofile-healthy-hosts");
        assertThat(preferences.bakeTime()).isEqualTo(120);
        assertThat(preferences.autoRollback()).isTrue();
        long newVersion = version.path("version").asLong();
        assertThat(version.path("previousVersion").asLong()).isEqualTo(v1Version);
        assertThat(newVersion).isGreaterThan(v1Version);
        assertThat(groupVersion(asg)).isEqualTo(newVersion);
        assertThat(defaultVersion(ec2)).isEqualTo(newVersion);
        assertThat(inServiceImages(ec2, asg)).hasSize(FLEET).allMatch(v2::equals);
        assertThat(v2).isNotEqualTo(v1);
    }

    @Test
    void refreshPastTheDeadlineTheSpecImplies_isCancelled_andTheStageWaitsForItToEnd_withTheFleetBackOnThePrevious(
            LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg) {
        // given a release whose refresh takes warm-ups on the local clock (600 s each, scaled)
        String v1 = provisioned.path("launchTemplate").path("imageId").asText();
        long v1Version = groupVersion(asg);
        String v2 = bake(ec2, asg, "v2-slow");
        ((ObjectNode) spec.get("deployment")).put("instanceWarmupSeconds", 600);
        ObjectNode state = release(v2, "r-slow");
        JsonNode version = StageHarness.invoke(new CreateReleaseVersionHandler(as("CreateReleaseVersionFunction")), state);
        state.set("releaseVersion", version);
        JsonNode started = StageHarness.invoke(new RolloutReleaseHandler(as("RolloutReleaseFunction")), state);

        // when the stage next looks after the refresh's deadline has passed (its clock a day on), as its role
        var aws = new AwsClients(new Env(as("RolloutReleaseFunction")));
        var late = new RolloutReleaseHandler(new RolloutReleaseService(
                new ReleaseTemplateGateway(aws.get(Ec2Client.class, Ec2Client::builder)),
                new RefreshGateway(aws.get(AutoScalingClient.class, AutoScalingClient::builder)),
                new AlarmGateway(aws.get(CloudWatchClient.class, CloudWatchClient::builder)),
                java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(1))));
        state.set("rollout", started);
        JsonNode cancelled = StageHarness.invoke(late, state);

        // then it cancelled the refresh but is not done: it holds on until the refresh has ended
        assertThat(cancelled.path("ready").asBoolean()).as(cancelled.toString()).isFalse();
        assertThat(cancelled.path("summary").asText()).contains("passed its deadline").contains("cancelled");
        JsonNode end = pollUntilReady(late, state, cancelled);
        assertThat(end.path("outcome").asText()).as(end.toString()).isEqualTo("ROLLED_BACK");
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes())
                .allMatch(r -> r.statusAsString().matches("Cancelled|Successful|Failed|RollbackSuccessful|RollbackFailed"));
        assertThat(groupVersion(asg)).isEqualTo(v1Version);
        assertThat(inServiceImages(ec2, asg)).hasSize(FLEET).allMatch(v1::equals);
    }

    @Test
    void unhealthyRelease_isRolledBack_toThePreviousVersionAndImage(LocalCloud cloud, Ec2Client ec2, AutoScalingClient asg) {
        // given a v2 image whose instances fail their health checks
        String v1 = provisioned.path("launchTemplate").path("imageId").asText();
        long v1Version = groupVersion(asg);
        String v2 = bake(ec2, asg, "v2-broken");
        HealthModel.of(cloud).markUnhealthy(v2);

        // when it is rolled out
        ObjectNode state = release(v2, "r-broken");
        JsonNode version = StageHarness.invoke(new CreateReleaseVersionHandler(as("CreateReleaseVersionFunction")), state);
        state.set("releaseVersion", version);
        var rollout = new RolloutReleaseHandler(as("RolloutReleaseFunction"));
        JsonNode end = pollUntilReady(rollout, state, StageHarness.invoke(rollout, state));

        // then it is reported rolled back with the reason, and the fleet, group and default are where they were
        assertThat(end.path("outcome").asText()).as(end.toString()).isEqualTo("ROLLED_BACK");
        assertThat(end.path("reason").asText()).contains("Rollback").contains(v2);
        assertThat(groupVersion(asg)).isEqualTo(v1Version);
        assertThat(defaultVersion(ec2)).isEqualTo(v1Version);
        assertThat(inServiceImages(ec2, asg)).hasSize(FLEET).allMatch(v1::equals);
    }

    @Test
    void failedRefreshWithoutRollback_isFinished_byARefreshBackToThePreviousVersion(LocalCloud cloud, Ec2Client ec2,
                                                                                 AutoScalingClient asg) {
        // given a refresh to a broken v2 that someone started without AutoRollback (so AWS leaves the replaced
        // instances on v2 when it fails)
        String v1 = provisioned.path("launchTemplate").path("imageId").asText();
        long v1Version = groupVersion(asg);
        String v2 = bake(ec2, asg, "v2-no-rollback");
        HealthModel.of(cloud).markUnhealthy(v2);
        ObjectNode state = release(v2, "r-no-rollback");
        JsonNode version = StageHarness.invoke(new CreateReleaseVersionHandler(as("CreateReleaseVersionFunction")), state);
        state.set("releaseVersion", version);
        String manual = asg.startInstanceRefresh(b -> b.autoScalingGroupName(GROUP)
                .desiredConfiguration(d -> d.launchTemplate(t -> t.launchTemplateId(version.path("launchTemplateId").asText())
                        .version(version.path("version").asText())))
                .preferences(p -> p.minHealthyPercentage(90).instanceWarmup(1).skipMatching(true).autoRollback(false)))
                .instanceRefreshId();

        // when the rollout stage runs (it follows that refresh rather than starting another)
        var rollout = new RolloutReleaseHandler(as("RolloutReleaseFunction"));
        JsonNode end = pollUntilReady(rollout, state, StageHarness.invoke(rollout, state));

        // then the stage finished the rollback itself: every instance back on v1, the group and default on v1's version
        assertThat(end.path("outcome").asText()).as(end.toString()).isEqualTo("ROLLED_BACK");
        assertThat(end.path("instanceRefreshId").asText()).isEqualTo(manual);
        assertThat(end.path("reason").asText()).contains("Failed");
        assertThat(end.path("rollbackRefreshId").asText()).isNotBlank().isNotEqualTo(manual);
        assertThat(groupVersion(asg)).isEqualTo(v1Version);
        assertThat(defaultVersion(ec2)).isEqualTo(v1Version);
        assertThat(inServiceImages(ec2, asg)).hasSize(FLEET).allMatch(v1::equals);
    }

    @Test
    void rollout_refusesToStart_whileAnotherReleasesRefreshIsActive_namingIt(Ec2Client ec2, AutoScalingClient asg) {
        // given a slow refresh of another release in progress
        String v2 = bake(ec2, asg, "v2");
        String v3 = bake(ec2, asg, "v3");
        var create = new CreateReleaseVersionHandler(as("CreateReleaseVersionFunction"));
        JsonNode other = StageHarness.invoke(create, release(v2, "r-v2"));
        ObjectNode state = release(v3, "r-v3");
        state.set("releaseVersion", StageHarness.invoke(create, state));
        String busy = asg.startInstanceRefresh(b -> b.autoScalingGroupName(GROUP)
                .desiredConfiguration(d -> d.launchTemplate(t -> t.launchTemplateId(other.path("launchTemplateId").asText())
                        .version(other.path("version").asText())))
                .preferences(p -> p.instanceWarmup(120).skipMatching(true))).instanceRefreshId();

        // when this release's rollout starts, then it fails naming the other refresh, and starts nothing
        assertThatThrownBy(() -> StageHarness.invoke(new RolloutReleaseHandler(as("RolloutReleaseFunction")), state))
                .isInstanceOf(StageFailedException.class).hasMessageContaining(busy).hasMessageContaining(GROUP);
        assertThat(asg.describeInstanceRefreshes(b -> b.autoScalingGroupName(GROUP)).instanceRefreshes())
                .extracting(r -> r.instanceRefreshId()).containsExactly(busy);
    }

    @Test
    void createReleaseVersion_twice_makesOneVersion_copiedFromTheGroupsVersion(Ec2Client ec2, AutoScalingClient asg) {
        // given a v2 image
        long running = groupVersion(asg);
        String v2 = bake(ec2, asg, "v2");
        String templateId = provisioned.path("launchTemplate").path("launchTemplateId").asText();
        int before = versions(ec2, templateId).size();

        // when CreateReleaseVersion runs twice for it (two executions, as a redelivered event would)
        var handler = new CreateReleaseVersionHandler(as("CreateReleaseVersionFunction"));
        JsonNode first = StageHarness.invoke(handler, release(v2, "r-v2"));
        JsonNode second = StageHarness.invoke(handler, release(v2, "r-v2"));

        // then there is one new version, differing from the group's only in its image, and the default is untouched
        assertThat(second.path("version").asLong()).isEqualTo(first.path("version").asLong());
        List<LaunchTemplateVersion> all = versions(ec2, templateId);
        assertThat(all).hasSize(before + 1);
        LaunchTemplateVersion made = all.stream().filter(v -> v.versionNumber() == first.path("version").asLong()).findFirst().orElseThrow();
        LaunchTemplateVersion source = all.stream().filter(v -> v.versionNumber() == running).findFirst().orElseThrow();
        assertThat(made.versionDescription()).isEqualTo("release:r-v2");
        assertThat(made.launchTemplateData().imageId()).isEqualTo(v2);
        assertThat(withoutImage(made)).isEqualTo(withoutImage(source));
        assertThat(defaultVersion(ec2)).isEqualTo(running);
        assertThat(groupVersion(asg)).isEqualTo(running);
    }

    private ObjectNode release(String imageId, String releaseId) {
        ObjectNode state = StageHarness.state(provisioned.get("spec") == null ? spec : provisioned.get("spec"));
        state.putObject("release").put("imageId", imageId).put("releaseId", releaseId);
        return state;
    }

    private static JsonNode pollUntilReady(RolloutReleaseHandler handler, ObjectNode state, JsonNode last) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!last.path("ready").asBoolean()) {
            assertThat(System.nanoTime()).as("rollout still not ready: " + last).isLessThan(deadline);
            sleep(500);
            state.set("rollout", last);
            last = StageHarness.invoke(handler, state);
        }
        return last;
    }

    /** An AMI made from one of the group's instances, as a release bake would leave it. */
    private static String bake(Ec2Client ec2, AutoScalingClient asg, String name) {
        String instance = group(asg).instances().getFirst().instanceId();
        String image = ec2.createImage(b -> b.instanceId(instance).name("vprofile-release-" + name + "-" + UUID.randomUUID())).imageId();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ec2.describeImages(b -> b.imageIds(image)).images().getFirst().state() != ImageState.AVAILABLE) {
            assertThat(System.nanoTime()).as("image " + image + " not available").isLessThan(deadline);
            sleep(200);
        }
        return image;
    }

    private static AutoScalingGroup group(AutoScalingClient asg) {
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(GROUP)).autoScalingGroups().getFirst();
    }

    private static long groupVersion(AutoScalingClient asg) {
        return Long.parseLong(group(asg).launchTemplate().version());
    }

    private long defaultVersion(Ec2Client ec2) {
        return ec2.describeLaunchTemplates(b -> b.launchTemplateNames(GROUP)).launchTemplates().getFirst().defaultVersionNumber();
    }

    /**
     * A version's data without its image, and without the launch-template tag specification moto copies from the
     * template's own tags into the versions CreateLaunchTemplate makes (AWS reports only instance and volume specs).
     */
    private static ResponseLaunchTemplateData withoutImage(LaunchTemplateVersion v) {
        return v.launchTemplateData().toBuilder().imageId(null)
                .tagSpecifications(v.launchTemplateData().tagSpecifications().stream()
                        .filter(t -> t.resourceType() != ResourceType.LAUNCH_TEMPLATE).toList())
                .build();
    }

    private static List<LaunchTemplateVersion> versions(Ec2Client ec2, String templateId) {
        return ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(templateId)).launchTemplateVersions();
    }

    private static List<String> inServiceImages(Ec2Client ec2, AutoScalingClient asg) {
        List<String> ids = group(asg).instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString()))
                .map(i -> i.instanceId()).toList();
        return ec2.describeInstances(b -> b.instanceIds(ids)).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(i -> i.imageId()).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
