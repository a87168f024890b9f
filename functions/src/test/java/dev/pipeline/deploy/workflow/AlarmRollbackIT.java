package dev.pipeline.deploy.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.SampleWars;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.local.refresh.HealthModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pipeline.deploy.workflow.DeployedEnvironment.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alarm-gated releases end to end: a release that passes its bake and its health checks but answers its users with
 * 500s is caught by the environment's 5xx alarm, from real traffic through the local load balancer, and one whose
 * instances fail their checks once they are alone on the fleet by its healthy-hosts alarm; AWS's auto rollback (the
 * local cloud's, here) puts the previous image back. The spec's bake time keeps the refresh watching
 * after its last batch; the threshold is low so a few requests trip it.
 */
@ExtendWith(LocalCloudExtension.class)
class AlarmRollbackIT {
    private static final int FLEET = 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DeployedEnvironment env;
    private final AtomicBoolean trafficOn = new AtomicBoolean();
    private Thread traffic;
    private final Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void provision(LocalCloud cloud) throws Exception {
        // Target health is the tests' model (every instance healthy once running, see local/README.md): the refresh
        // does not wait for Tomcat, so the bake time must outlast a new instance's boot for its traffic to be seen;
        // until its Tomcat answers, the load balancer itself answers 502, which the target 5xx alarm does not count.
        env = DeployedEnvironment.provision(cloud, spec -> {
            // two instances boot faster than four: the window below must hold their boot
            ((ObjectNode) spec.get("fleet")).put("desired", FLEET).put("max", FLEET);
            ObjectNode deployment = (ObjectNode) spec.get("deployment");
            // an hour of warm-up (old and new instances serve side by side) and an hour of bake (the new ones alone),
            // both watched by the alarms: ~24 s at the tests' time scale, for the new fleet to boot and take traffic
            deployment.put("instanceWarmupSeconds", 3600).put("bakeTimeSeconds", 3600);
            deployment.putObject("alarms").put("target5xxPerMinute", 3);
        });
    }

    @AfterEach
    void stopTraffic() throws InterruptedException {
        trafficOn.set(false);
        if (traffic != null) traffic.join(5_000);
    }

    @Test
    void aReleaseThatPassesItsHealthChecksButFailsItsUsers_isRolledBackByThe5xxAlarm_andRecordedRolledBackNamingIt(
            LocalCloud cloud) throws Exception {
        // given v1 live, and users browsing the site's front page (no cookie: every request may go to any instance)
        DescribeExecutionResponse v1 = env.awaitDeploy(KEY, env.upload(KEY, SampleWars.version("1.0.0")));
        assertThat(v1.status()).as(v1.error() + ": " + v1.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        String ami1 = DeployedEnvironment.read(v1.output()).path("release").path("imageId").asText();
        String site = env.siteUrl();
        assertThat(eventually200(site)).as("v1 serves").isTrue();
        startTraffic(site);

        // when a release whose /login answers (it passes the bake's check and the target group's) but whose front
        // page answers 500 is uploaded
        String version = env.upload(KEY, SampleWars.failingTraffic("2.0.0"));
        DescribeExecutionResponse v2 = env.awaitDeploy(KEY, version);

        // then the deploy ends rolled back, and the alarm that did it is named in the release's record
        assertThat(v2.status()).as(v2.error() + ": " + v2.cause() + "; answers " + answers + "; alarm "
                + cloud.client(CloudWatchClient.class).describeAlarms(b -> b.alarmNames("vprofile-target-5xx")).metricAlarms())
                .isEqualTo(ExecutionStatus.FAILED);
        assertThat(v2.error()).isEqualTo("ReleaseRolledBack");
        Release r = env.releases().getFirst();
        assertThat(r.versionId()).isEqualTo(version);
        assertThat(r.status()).isEqualTo(ReleaseStatus.ROLLED_BACK);
        assertThat(r.reason()).contains("vprofile-target-5xx");
        // it reached the fleet (it was not stopped at the bake): users did see its 500s
        assertThat(answers.getOrDefault(500, new AtomicInteger()).get()).as("answers " + answers).isPositive();

        // and AWS's rollback, not the pipeline's, put the previous image back: the refresh says so
        InstanceRefresh refresh = env.cloud.client(software.amazon.awssdk.services.autoscaling.AutoScalingClient.class)
                .describeInstanceRefreshes(b -> b.autoScalingGroupName(env.group().autoScalingGroupName()))
                .instanceRefreshes().getFirst();
        assertThat(refresh.statusAsString()).isEqualTo("RollbackSuccessful");
        assertThat(refresh.statusReason()).contains("vprofile-target-5xx");
        assertThat(refresh.preferences().alarmSpecification().alarms()).containsExactly("vprofile-target-5xx", "vprofile-healthy-hosts");
        assertThat(refresh.preferences().bakeTime()).isEqualTo(3600);

        // and the fleet serves v1 again, every instance on its image
        assertThat(env.fleetImages()).hasSize(FLEET).allSatisfy((id, ami) -> assertThat(ami).isEqualTo(ami1));
        assertThat(eventually200(site)).isTrue();
        MetricAlarm alarm = cloud.client(CloudWatchClient.class).describeAlarms(b -> b.alarmNames("vprofile-target-5xx"))
                .metricAlarms().getFirst();
        assertThat(alarm.stateReason()).as("the alarm was evaluated on the load balancer's traffic").isNotBlank();
    }

    @Test
    void aGoodRelease_underTraffic_passesItsBakeTime_andIsLive(LocalCloud cloud) throws Exception {
        DescribeExecutionResponse v1 = env.awaitDeploy(KEY, env.upload(KEY, SampleWars.version("1.0.0")));
        assertThat(v1.status()).as(v1.error() + ": " + v1.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        startTraffic(env.siteUrl());

        DescribeExecutionResponse v2 = env.awaitDeploy(KEY, env.upload(KEY, SampleWars.version("2.0.0")));

        assertThat(v2.status()).as(v2.error() + ": " + v2.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(env.releases().getFirst().status()).isEqualTo(ReleaseStatus.SUCCEEDED);
        assertThat(answers.getOrDefault(500, new AtomicInteger()).get()).as("answers " + answers).isZero();
        assertThat(cloud.client(CloudWatchClient.class).describeAlarms(b -> b.alarmNames("vprofile-target-5xx"))
                .metricAlarms().getFirst().stateValueAsString()).isNotEqualTo("ALARM");
    }

    @Test
    void aReleaseWhoseInstancesFailTheirChecksDuringTheBake_isRolledBackByTheHealthyHostsAlarm(LocalCloud cloud)
            throws Exception {
        // given v1 live on the two instances
        DescribeExecutionResponse v1 = env.awaitDeploy(KEY, env.upload(KEY, SampleWars.version("1.0.0")));
        assertThat(v1.status()).as(v1.error() + ": " + v1.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        String ami1 = DeployedEnvironment.read(v1.output()).path("release").path("imageId").asText();
        var autoScaling = cloud.client(software.amazon.awssdk.services.autoscaling.AutoScalingClient.class);
        String group = env.group().autoScalingGroupName();

        // when v2 replaced them, passed its health checks and warm-up, and then, while the refresh bakes with v2
        // alone on the fleet, its instances start failing their health checks (a leak, a pool running dry)
        String version = env.upload(KEY, SampleWars.version("2.0.0"));
        String ami2 = null;
        for (int i = 0; i < 1200 && ami2 == null; i++) {
            InstanceRefresh r = autoScaling.describeInstanceRefreshes(b -> b.autoScalingGroupName(group)).instanceRefreshes()
                    .stream().findFirst().orElse(null);
            if (r != null && "Baking".equals(r.statusAsString())) {
                ami2 = env.fleetImages().values().stream().filter(a -> !a.equals(ami1)).findFirst().orElse(null);
            }
            if (ami2 == null) Thread.sleep(50);
        }
        assertThat(ami2).as("v2's refresh reached its bake time on a new image").isNotNull();
        HealthModel.of(cloud).markUnhealthy(ami2);
        DescribeExecutionResponse v2 = env.awaitDeploy(KEY, version);

        // then the capacity alarm rolled it back, named in the release's record, and v1's image serves again
        assertThat(v2.status()).as(v2.error() + ": " + v2.cause()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(v2.error()).isEqualTo("ReleaseRolledBack");
        Release r = env.releases().getFirst();
        assertThat(r.versionId()).isEqualTo(version);
        assertThat(r.status()).isEqualTo(ReleaseStatus.ROLLED_BACK);
        assertThat(r.reason()).contains("vprofile-healthy-hosts");
        InstanceRefresh refresh = autoScaling.describeInstanceRefreshes(b -> b.autoScalingGroupName(group))
                .instanceRefreshes().getFirst();
        assertThat(refresh.statusAsString()).isEqualTo("RollbackSuccessful");
        assertThat(refresh.statusReason()).contains("vprofile-healthy-hosts");
        assertThat(env.fleetImages()).hasSize(FLEET).allSatisfy((id, ami) -> assertThat(ami).isEqualTo(ami1));
    }

    private void startTraffic(String site) {
        trafficOn.set(true);
        traffic = Thread.ofVirtual().start(() -> {
            while (trafficOn.get()) {
                int status = get(site);
                answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static int get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean eventually200(String url) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (get(url) == 200) return true;
            Thread.sleep(100);
        }
        return false;
    }

}
