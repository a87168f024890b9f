package dev.pipeline.deploy.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.SampleWars;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.codedeploy.DeploymentGroupNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.pipeline.deploy.workflow.DeployedEnvironment.ENV;
import static dev.pipeline.deploy.workflow.DeployedEnvironment.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-place releases end to end ({@code ./pipeline deploy --in-place}, strategy in-place-then-bake): the upload
 * starts the deploy workflow, CodeDeploy puts the WAR on the running instances one at a time out of the target group
 * (the local cloud runs the revision's hook scripts on each instance and Tomcat serves the result), then the image
 * is baked and becomes the launch template's default without an instance refresh. A release whose health path
 * fails is rolled back by CodeDeploy and nothing is baked.
 */
@ExtendWith(LocalCloudExtension.class)
class InPlaceDeployIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int FLEET = 2;
    private DeployedEnvironment env;

    @BeforeEach
    void provision(LocalCloud cloud) throws Exception {
        env = DeployedEnvironment.provision(cloud, spec -> ((ObjectNode) spec.get("fleet")).put("min", 1).put("desired", FLEET).put("max", FLEET + 1));
        env.notifications();
    }

    @Test
    void inPlace_goesLiveOnTheRunningInstancesOneAtATime_thenItsImageFollowsWithoutARefresh(LocalCloud cloud) throws Exception {
        String site = env.siteUrl() + "version.txt";
        Set<String> instancesBefore = env.fleetImages().keySet();
        Map<String, String> imagesBefore = env.fleetImages();
        String tg = targetGroupArn(cloud);
        AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = Thread.ofVirtual().start(() -> {
            ElasticLoadBalancingV2Client elb = cloud.client(ElasticLoadBalancingV2Client.class);
            while (watching.get()) {
                try {
                    fewest.accumulateAndGet(elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions().size(), Math::min);
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });

        byte[] war = SampleWars.version("2.0.0");
        String version = uploadInPlace(cloud, war);
        DescribeExecutionResponse run = env.awaitDeploy(KEY, version);
        watching.set(false);
        watcher.join();

        assertThat(run.status()).as(run.error() + ": " + run.cause() + "\n" + agents(cloud)).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode out = DeployedEnvironment.read(run.output());
        // CodeDeploy says so, and the site serves the release from every instance
        String deploymentId = out.path("inPlace").path("deploymentId").asText();
        DeploymentInfo d = cloud.client(CodeDeployClient.class).getDeployment(b -> b.deploymentId(deploymentId)).deploymentInfo();
        assertThat(d.status()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(d.applicationName()).isEqualTo(DeploymentGroupNames.application(ENV));
        assertThat(d.deploymentGroupName()).isEqualTo(DeploymentGroupNames.group(ENV));
        assertThat(served(site, 20)).containsExactly("2.0.0");
        // one instance at a time out of the target group, never all
        assertThat(fewest.get()).as("fewest targets registered during the deployment").isEqualTo(FLEET - 1);
        // the same instances, on the same image: no refresh replaced them
        assertThat(env.fleetImages()).isEqualTo(imagesBefore);
        // the image followed: the template's default and the group's version launch the release's image
        String ami = out.path("release").path("imageId").asText();
        assertThat(ami).startsWith("ami-").isNotIn(imagesBefore.values());
        long groupVersion = Long.parseLong(env.group().launchTemplate().version());
        assertThat(env.templateDefaultVersion()).isEqualTo(groupVersion);
        assertThat(out.path("releaseVersion").path("version").asLong()).isEqualTo(groupVersion);
        assertThat(out.path("rollout").path("status").asText()).isEqualTo("InPlace");

        Release r = env.releases().getFirst();
        assertThat(r.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
        assertThat(r.versionId()).isEqualTo(version);
        assertThat(r.ami()).isEqualTo(ami);
        assertThat(r.inPlace()).isNotNull();
        assertThat(r.inPlace().deploymentId()).isEqualTo(deploymentId);
        assertThat(r.inPlace().liveAt()).isAfterOrEqualTo(r.startedAt()).isBeforeOrEqualTo(r.finishedAt());

        // an instance Auto Scaling adds now launches from the release's image and serves the release; CodeDeploy gives it
        // the last good revision too, whose install hook leaves the image's own (the same release's) WAR alone
        cloud.client(AutoScalingClient.class).setDesiredCapacity(b -> b.autoScalingGroupName(ENV + "-app").desiredCapacity(FLEET + 1));
        String launch = awaitLaunchDeployment(cloud, deploymentId);
        awaitHealthyTargets(cloud, tg, FLEET + 1);
        Map<String, String> fleet = env.fleetImages();
        assertThat(fleet).hasSize(FLEET + 1);
        String added = fleet.keySet().stream().filter(id -> !instancesBefore.contains(id)).findFirst().orElseThrow();
        assertThat(fleet.get(added)).isEqualTo(ami);
        assertThat(afterInstallLog(cloud, launch, added)).contains("its WAR stays");
        assertThat(served(site, 30)).containsExactly("2.0.0");
    }

    @Test
    void inPlace_aReleaseWhoseHealthPathFails_isRolledBackByCodeDeploy_theSiteKeepsServing_andNothingIsBaked(LocalCloud cloud) throws Exception {
        String site = env.siteUrl() + "version.txt";
        // the group's first in-place release is broken: CodeDeploy has nothing to roll back to, the release FAILED says
        // so, and the site goes on serving from the instance it did not reach
        String broken0 = uploadInPlace(cloud, SampleWars.broken("0.9.0"));
        DescribeExecutionResponse v0 = env.awaitDeploy(KEY, broken0);
        assertThat(v0.status()).as(v0.error() + ": " + v0.cause()).isEqualTo(ExecutionStatus.FAILED);
        Release r0 = env.releases().getFirst();
        assertThat(r0.versionId()).isEqualTo(broken0);
        assertThat(r0.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(r0.reason()).contains("ValidateService").contains("no earlier in-place release succeeded").contains("./pipeline rollback");
        assertThat(served(site, 10)).doesNotContain("0.9.0");

        // a good release in place then reaches every instance, the one the broken release was left on too
        DescribeExecutionResponse v1 = env.awaitDeploy(KEY, uploadInPlace(cloud, SampleWars.version("1.0.0")));
        assertThat(v1.status()).as(v1.error() + ": " + v1.cause() + "\n" + agents(cloud)).isEqualTo(ExecutionStatus.SUCCEEDED);
        awaitHealthyTargets(cloud, targetGroupArn(cloud), FLEET);
        assertThat(served(site, 10)).containsExactly("1.0.0");
        Map<String, String> fleet = env.fleetImages();
        String groupVersion = env.group().launchTemplate().version();
        long versions = env.templateVersionCount();
        Set<String> images = env.images().stream().map(Image::imageId).collect(Collectors.toSet());

        // the sample app's broken build: its /login (the spec's health path) answers 500
        String version = uploadInPlace(cloud, SampleWars.broken("3.0.0"));
        DescribeExecutionResponse v3 = env.awaitDeploy(KEY, version);

        assertThat(v3.status()).as(v3.error() + ": " + v3.cause()).isEqualTo(ExecutionStatus.FAILED);
        JsonNode out = DeployedEnvironment.read(cloud.client(software.amazon.awssdk.services.sfn.SfnClient.class)
                .getExecutionHistory(b -> b.executionArn(v3.executionArn()).reverseOrder(true).maxResults(50)).events().stream()
                .filter(e -> e.stateExitedEventDetails() != null && e.stateExitedEventDetails().name().equals("InPlaceRolledBack"))
                .findFirst().orElseThrow().stateExitedEventDetails().output());
        String failed = out.path("inPlace").path("deploymentId").asText();
        CodeDeployClient cd = cloud.client(CodeDeployClient.class);
        DeploymentInfo d = cd.getDeployment(b -> b.deploymentId(failed)).deploymentInfo();
        assertThat(d.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(d.rollbackInfo().rollbackDeploymentId()).isNotBlank();
        assertThat(cd.getDeployment(b -> b.deploymentId(d.rollbackInfo().rollbackDeploymentId())).deploymentInfo().status())
                .isEqualTo(DeploymentStatus.SUCCEEDED);
        // the previous release still serves, from the same instances and images; no image, no template version
        assertThat(served(site, 20)).containsExactly("1.0.0");
        assertThat(env.fleetImages()).isEqualTo(fleet);
        assertThat(env.group().launchTemplate().version()).isEqualTo(groupVersion);
        assertThat(env.templateVersionCount()).isEqualTo(versions);
        assertThat(env.images().stream().map(Image::imageId).collect(Collectors.toSet())).isEqualTo(images);
        assertThat(env.liveBuilders()).isEmpty();
        // the release says where and why
        Release r = env.releases().getFirst();
        assertThat(r.versionId()).isEqualTo(version);
        assertThat(r.status()).isEqualTo(ReleaseStatus.ROLLED_BACK);
        assertThat(r.reason()).contains(failed).containsPattern("on i-[0-9a-f]+, ValidateService")
                .contains("scripts/validate.sh").contains("last status: 500").contains("rolled back");
        assertThat(r.ami()).isNull();
    }

    @Test
    void rollback_afterAnInPlaceRelease_goesInPlace_soInstancesLaunchedLaterServeTheRolledBackReleaseToo(LocalCloud cloud) throws Exception {
        String site = env.siteUrl() + "version.txt";
        DescribeExecutionResponse v1 = env.awaitDeploy(KEY, env.upload(KEY, SampleWars.version("1.0.0")));
        assertThat(v1.status()).as(v1.error() + ": " + v1.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        String ami1 = DeployedEnvironment.read(v1.output()).path("release").path("imageId").asText();
        DescribeExecutionResponse v2 = env.awaitDeploy(KEY, uploadInPlace(cloud, SampleWars.version("2.0.0")));
        assertThat(v2.status()).as(v2.error() + ": " + v2.cause() + "\n" + agents(cloud)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(served(site, 10)).containsExactly("2.0.0");
        Map<String, String> fleet = env.fleetImages();
        assertThat(fleet).allSatisfy((id, ami) -> assertThat(ami).isEqualTo(ami1));

        // ./pipeline rollback: the release before the live one
        ObjectNode input = dev.pipeline.functions.JsonHandler.JSON.createObjectNode();
        input.put("mode", "rollback");
        input.putNull("rollbackTo");
        input.putObject("upload").put("id", "rollback-test").put("uploadedAt", Instant.now().toString());
        input.putObject("run").put("pollSeconds", 1).put("timeoutSeconds", 240);
        var sfn = cloud.client(software.amazon.awssdk.services.sfn.SfnClient.class);
        String arn = sfn.startExecution(b -> b.stateMachineArn(env.deployMachineArn()).name("rollback-test").input(input.toString()))
                .executionArn();
        DescribeExecutionResponse end = dev.pipeline.local.junit.Executions.awaitEnd(sfn, arn, Duration.ofMinutes(5));

        assertThat(end.status()).as(end.error() + ": " + end.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(dev.pipeline.local.junit.Executions.statesEntered(sfn, arn)).contains("DeployInPlace")
                .doesNotContain("BakeRelease", "ValidateArtifact");
        // v1's WAR went back onto the same instances, and v1's image is the template's again, with no refresh
        assertThat(served(site, 20)).containsExactly("1.0.0");
        assertThat(env.fleetImages()).isEqualTo(fleet);
        assertThat(cloud.client(AutoScalingClient.class).describeInstanceRefreshes(b -> b.autoScalingGroupName(ENV + "-app"))
                .instanceRefreshes()).hasSize(1); // v1's own
        Release r = env.releases().getFirst();
        assertThat(r.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
        assertThat(r.rollbackOf()).isNotBlank();
        assertThat(r.ami()).isEqualTo(ami1);
        assertThat(r.inPlace()).isNotNull();
        String deployment = r.inPlace().deploymentId();
        assertThat(cloud.client(CodeDeployClient.class).getDeployment(b -> b.deploymentId(deployment)).deploymentInfo()
                .overrideAlarmConfiguration().enabled()).as("a rollback watches no alarms").isFalse();

        // an instance launched now (from v1's image, with v2's revision no longer CodeDeploy's last good one) serves v1
        String tg = targetGroupArn(cloud);
        cloud.client(AutoScalingClient.class).setDesiredCapacity(b -> b.autoScalingGroupName(ENV + "-app").desiredCapacity(FLEET + 1));
        String launch = awaitLaunchDeployment(cloud, deployment);
        awaitHealthyTargets(cloud, tg, FLEET + 1);
        String added = env.fleetImages().keySet().stream().filter(id -> !fleet.containsKey(id)).findFirst().orElseThrow();
        // v1's image is older than the rollback's revision: the hook installs the revision (v1's WAR)
        assertThat(afterInstallLog(cloud, launch, added)).contains("installed file://");
        assertThat(served(site, 30)).containsExactly("1.0.0");
    }

    /**
     * The deployment CodeDeploy makes for an instance Auto Scaling launched (creator autoscaling, the last good
     * revision: that of {@code lastGood}), followed to its end.
     */
    private static String awaitLaunchDeployment(LocalCloud cloud, String lastGood) throws InterruptedException {
        CodeDeployClient cd = cloud.client(CodeDeployClient.class);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (true) {
            List<String> ids = cd.listDeployments(b -> b.applicationName(DeploymentGroupNames.application(ENV))
                    .deploymentGroupName(DeploymentGroupNames.group(ENV))).deployments();
            for (String id : ids) {
                DeploymentInfo d = cd.getDeployment(b -> b.deploymentId(id)).deploymentInfo();
                if (!"autoscaling".equals(d.creatorAsString())) continue;
                if (d.status() == DeploymentStatus.SUCCEEDED) return id;
                assertThat(d.status()).as("launch deployment %s: %s", id, d.errorInformation()).isNotIn(DeploymentStatus.FAILED, DeploymentStatus.STOPPED);
            }
            assertThat(Instant.now()).as("no launch deployment after %s", lastGood).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** The AfterInstall hook's log on {@code instance} in deployment {@code id}. */
    private static String afterInstallLog(LocalCloud cloud, String id, String instance) {
        return cloud.client(CodeDeployClient.class).getDeploymentTarget(b -> b.deploymentId(id).targetId(instance))
                .deploymentTarget().instanceTarget().lifecycleEvents().stream()
                .filter(e -> e.lifecycleEventName().equals("AfterInstall")).findFirst().orElseThrow()
                .diagnostics().logTail();
    }

    /** For a failure's message: each fleet instance's agent unit, as the local CodeDeploy sees it. */
    private String agents(LocalCloud cloud) {
        StringBuilder b = new StringBuilder();
        for (String id : env.fleetImages().keySet()) {
            StringBuilder out = new StringBuilder();
            try {
                var rc = cloud.instanceModel().runCommand(id, "systemctl status codedeploy-agent; ls /usr/local/lib/systemd/system",
                        l -> out.append(l).append(" | "), 60);
                b.append(id).append(" rc=").append(rc.orElse(null)).append(": ").append(out).append('\n');
            } catch (Exception e) {
                b.append(id).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    private String uploadInPlace(LocalCloud cloud, byte[] war) {
        return cloud.client(S3Client.class).putObject(b -> b.bucket(env.deployed.bucket()).key(KEY)
                .metadata(Map.of("pipeline-strategy", "in-place-then-bake")), RequestBody.fromBytes(war)).versionId();
    }

    private static String targetGroupArn(LocalCloud cloud) {
        return cloud.client(ElasticLoadBalancingV2Client.class).describeTargetGroups().targetGroups().stream()
                .filter(t -> t.targetGroupName().startsWith(ENV)).findFirst().orElseThrow().targetGroupArn();
    }

    private static void awaitHealthyTargets(LocalCloud cloud, String tg, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (true) {
            List<TargetHealthDescription> h = cloud.client(ElasticLoadBalancingV2Client.class)
                    .describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions();
            if (h.size() == count && h.stream().allMatch(x -> "healthy".equals(x.targetHealth().stateAsString()))) return;
            assertThat(Instant.now()).as("targets %s", h).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** What {@code requests} requests without a cookie (so any instance may answer) got. */
    private static Set<String> served(String url, int requests) throws Exception {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("site answer: %s", r.body()).isEqualTo(200);
            out.add(r.body().trim());
        }
        return out;
    }

}
