package dev.pipeline.provision.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.Prerequisites;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.fleet.AutoScalingGateway;
import dev.pipeline.provision.fleet.FleetStates;
import dev.pipeline.provision.loadbalancer.LoadBalancerGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class VerifyEnvironmentIT {

    @Test
    void verify_isReady_whenAlbActiveAndEveryDesiredInstanceHealthy(LocalCloud cloud) {
        // given a provisioned environment
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.provisioned(cloud, zone);

        // when
        JsonNode out = StageHarness.invoke(new VerifyEnvironmentHandler(zone.functionEnvironment(cloud, "VerifyEnvironmentFunction")), state);

        // then it is ready, names the site and what the listeners do, and says what it could not check locally
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.get("healthyTargets").asInt()).isEqualTo(2);
        assertThat(out.get("siteUrl").asText()).isEqualTo("http://" + state.at("/loadBalancer/dnsName").asText());
        assertThat(Prerequisites.strings(out.get("listeners"))).containsExactly("HTTP:80 forward to vprofile-tg");
        assertThat(out.get("dataPlane").asText()).startsWith("not checked");
        assertThat(out.get("waiting")).isEmpty();
    }

    @Test
    void verify_isNotReady_whenAnAppServerIsNotHealthy(LocalCloud cloud, AutoScalingClient asg, Ec2Client ec2) {
        // given a provisioned environment with one app server stopped (its target reads "unused")
        // (the health model of the local cloud's refresh emulation, HealthModel.markUnhealthy, is not on this
        // branch yet; a stopped instance is the unhealthy target moto itself can show)
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.provisioned(cloud, zone);
        String stopped = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("vprofile-app")).autoScalingGroups()
                .getFirst().instances().getFirst().instanceId();
        ec2.stopInstances(b -> b.instanceIds(stopped));

        // when
        JsonNode out = StageHarness.invoke(new VerifyEnvironmentHandler(zone.functionEnvironment(cloud, "VerifyEnvironmentFunction")), state);

        // then it waits, and says which instance and why
        assertThat(out.get("ready").asBoolean()).isFalse();
        assertThat(out.get("healthyTargets").asInt()).isEqualTo(1);
        assertThat(Prerequisites.strings(out.get("waiting"))).anyMatch(w -> w.contains("1 of 2"))
                .anyMatch(w -> w.startsWith(stopped) && w.contains("unused"));
    }

    @Test
    void verify_failsTheStage_whenTargetsStayUnhealthyPastTheRunsDeadline(LocalCloud cloud, AutoScalingClient asg, Ec2Client ec2) {
        // given an unhealthy app server and a run that started two hours ago with a one-hour deadline
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.provisioned(cloud, zone);
        String stopped = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("vprofile-app")).autoScalingGroups()
                .getFirst().instances().getFirst().instanceId();
        ec2.stopInstances(b -> b.instanceIds(stopped));
        ((ObjectNode) state.get("run")).put("startedAt", Instant.now().minusSeconds(7200).toString()).put("timeoutSeconds", 3600);

        // when / then
        assertThatThrownBy(() -> StageHarness.invoke(new VerifyEnvironmentHandler(zone.functionEnvironment(cloud, "VerifyEnvironmentFunction")), state))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("still not ready");
    }

    @Test
    void verify_failsTheStage_whenListener80NoLongerForwards(LocalCloud cloud, ElasticLoadBalancingV2Client elb) {
        // given a provisioned environment whose listener someone pointed at a fixed answer
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.provisioned(cloud, zone);
        String listener = state.at("/loadBalancer/listenerArns/0").asText();
        elb.modifyListener(b -> b.listenerArn(listener).defaultActions(a -> a.type("fixed-response")
                .fixedResponseConfig(f -> f.statusCode("503").contentType("text/plain"))));

        // when / then waiting would not fix it: the stage fails, saying what is wrong
        assertThatThrownBy(() -> StageHarness.invoke(new VerifyEnvironmentHandler(zone.functionEnvironment(cloud, "VerifyEnvironmentFunction")), state))
                .isInstanceOf(StageFailedException.class).hasMessageContaining("HTTP:80").hasMessageContaining("vprofile-tg");
    }

    @Test
    void verify_onAws_asksTheSiteThroughTheLoadBalancer_andWaitsUntilItAnswers(LocalCloud cloud) {
        // given a provisioned environment and, as on AWS, a probe of the site (here: one that answers 503, then 200)
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.provisioned(cloud, zone);
        List<URI> asked = new ArrayList<>();
        int[] status = {503};
        var service = new VerifyEnvironmentService(new LoadBalancerGateway(cloud.client(ElasticLoadBalancingV2Client.class)),
                new AutoScalingGateway(cloud.client(AutoScalingClient.class)),
                url -> { asked.add(url); return new SiteProbe.Answer(status[0], null, null); });
        var handler = new VerifyEnvironmentHandler(service);

        // when the site answers 503, then 200
        JsonNode first = StageHarness.invoke(handler, state);
        status[0] = 200;
        JsonNode second = StageHarness.invoke(handler, state);

        // then it waited on the first answer and is ready on the second; it asked for the health check page on 80
        assertThat(first.get("ready").asBoolean()).isFalse();
        assertThat(Prerequisites.strings(first.get("waiting"))).anyMatch(w -> w.contains("answered 503"));
        assertThat(second.get("ready").asBoolean()).isTrue();
        assertThat(second.get("dataPlane").asText()).contains("answered 200");
        assertThat(asked).containsOnly(URI.create("http://" + state.at("/loadBalancer/dnsName").asText() + "/login"));
    }
}
