package dev.pipeline.provision.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LocalCloudExtension.class)
class ProvisionAutoScalingGroupIT {

    @Test
    void provision_createsGroupOnNumberedVersion_behindTargetGroup_withInstancesHealthy(
            LocalCloud cloud, AutoScalingClient asg, Ec2Client ec2, ElasticLoadBalancingV2Client elb) {
        // given the load balancer and launch template
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.beforeAutoScalingGroup(cloud, zone);
        String tg = state.at("/loadBalancer/targetGroupArn").asText();

        // when
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then the group launches from version 1 of our template (a number, never $Latest/$Default)
        AutoScalingGroup g = group(asg);
        assertThat(out.get("groupName").asText()).isEqualTo("vprofile-app");
        assertThat(g.launchTemplate().launchTemplateId()).isEqualTo(state.at("/launchTemplate/launchTemplateId").asText());
        assertThat(g.launchTemplate().version()).isEqualTo("1").isEqualTo(out.get("launchTemplateVersion").asText());
        // with the spec's size, across both app subnets, replaced on failed ELB health checks after a grace period
        assertThat(g.minSize()).isEqualTo(1);
        assertThat(g.maxSize()).isEqualTo(4);
        assertThat(g.desiredCapacity()).isEqualTo(2);
        assertThat(g.vpcZoneIdentifier().split(",")).containsExactlyInAnyOrderElementsOf(zone.appSubnets());
        assertThat(g.targetGroupARNs()).containsExactly(tg);
        assertThat(g.healthCheckType()).isEqualTo("ELB");
        assertThat(g.healthCheckGracePeriod()).isEqualTo(300);
        assertThat(g.terminationPolicies()).containsExactly("OldestLaunchTemplate", "Default");

        // and it is ready: both instances in service, registered and healthy in the target group
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(g.instances()).hasSize(2).allMatch(i -> i.lifecycleStateAsString().equals("InService"));
        List<String> ids = g.instances().stream().map(i -> i.instanceId()).toList();
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions())
                .filteredOn(d -> ids.contains(d.target().id()))
                .extracting(d -> d.targetHealth().stateAsString()).containsExactly("healthy", "healthy");

        // and the instances run the golden image, tagged as app servers of the environment
        // (moto reports an ASG instance's version as the template's current default; the AMI tells the truth)
        List<Instance> instances = ec2.describeInstances(b -> b.instanceIds(ids)).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
        assertThat(instances).allSatisfy(i -> {
            assertThat(i.imageId()).isEqualTo(state.at("/goldenImage/imageId").asText());
            Map<String, String> tags = i.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
            assertThat(tags).containsEntry("pipeline:environment", "vprofile").containsEntry("pipeline:component", "app")
                    .containsEntry("aws:autoscaling:groupName", "vprofile-app");
        });
        // and the group itself is tagged asg, without pushing that onto its instances
        Map<String, TagDescription> groupTags = g.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t));
        assertThat(groupTags.get("pipeline:component").value()).isEqualTo("asg");
        assertThat(groupTags.get("pipeline:component").propagateAtLaunch()).isFalse();
        assertThat(groupTags.get("pipeline:environment").propagateAtLaunch()).isTrue();
    }

    @Test
    void provision_reusesGroup_andKeepsScaledDesiredCapacity_whenRunAgain(LocalCloud cloud, AutoScalingClient asg) {
        // given a provisioned group that autoscaling then grew to 3
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.beforeAutoScalingGroup(cloud, zone);
        StageHarness.invoke(handler(cloud, zone), state);
        asg.setDesiredCapacity(b -> b.autoScalingGroupName("vprofile-app").desiredCapacity(3));

        // when provisioning runs again
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then it is the same single group, still at 3, and nothing was changed
        assertThat(asg.describeAutoScalingGroups().autoScalingGroups()).hasSize(1);
        assertThat(group(asg).desiredCapacity()).isEqualTo(3);
        assertThat(out.get("changes")).isEmpty();
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(out.get("desiredCapacity").asInt()).isEqualTo(3);
    }

    @Test
    void provision_convergesLimitsHealthChecksTargetGroupAndTags_whenDrifted(LocalCloud cloud, AutoScalingClient asg) {
        // given a provisioned group someone edited: smaller limits, EC2 health checks, target group detached, a tag removed
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.beforeAutoScalingGroup(cloud, zone);
        StageHarness.invoke(handler(cloud, zone), state);
        String tg = state.at("/loadBalancer/targetGroupArn").asText();
        asg.updateAutoScalingGroup(b -> b.autoScalingGroupName("vprofile-app").minSize(1).maxSize(1).desiredCapacity(1)
                .healthCheckType("EC2"));
        asg.detachLoadBalancerTargetGroups(b -> b.autoScalingGroupName("vprofile-app").targetGroupARNs(tg));
        TagDescription removed = group(asg).tags().stream().filter(t -> !t.key().equals("pipeline:environment")).findFirst().orElseThrow();
        asg.deleteTags(b -> b.tags(t -> t.resourceId("vprofile-app").resourceType("auto-scaling-group").key(removed.key())));
        assertThat(group(asg).tags()).extracting(TagDescription::key).doesNotContain(removed.key());

        // when provisioning runs again
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then the spec's limits, health checks and target group are back; desired stays at 1, inside 1..4
        AutoScalingGroup g = group(asg);
        assertThat(g.minSize()).isEqualTo(1);
        assertThat(g.maxSize()).isEqualTo(4);
        assertThat(g.desiredCapacity()).isEqualTo(1);
        assertThat(g.healthCheckType()).isEqualTo("ELB");
        assertThat(g.targetGroupARNs()).containsExactly(tg);
        assertThat(g.tags()).anySatisfy(t -> {
            assertThat(t.key()).isEqualTo(removed.key());
            assertThat(t.value()).isEqualTo(removed.value());
            assertThat(t.propagateAtLaunch()).isEqualTo(removed.propagateAtLaunch());
        });
        assertThat(out.get("changes")).hasSize(4);
    }

    @Test
    void provision_movesGroupToNumberedVersion_whenSomeoneSetItToLatest(LocalCloud cloud, AutoScalingClient asg) {
        // given a group switched to $Latest, which an instance refresh cannot roll back to
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.beforeAutoScalingGroup(cloud, zone);
        StageHarness.invoke(handler(cloud, zone), state);
        String lt = state.at("/launchTemplate/launchTemplateId").asText();
        asg.updateAutoScalingGroup(b -> b.autoScalingGroupName("vprofile-app")
                .launchTemplate(s -> s.launchTemplateId(lt).version("$Latest")));

        // when provisioning runs again
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then it is pinned to the number again
        assertThat(group(asg).launchTemplate().version()).isEqualTo("1");
        assertThat(out.get("launchTemplateVersion").asText()).isEqualTo("1");
    }

    @Test
    void teardown_deletesGroupAndInstancesThenTemplate_andIsFineTwice(LocalCloud cloud, AutoScalingClient asg, Ec2Client ec2) {
        // given a provisioned fleet
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = FleetStates.provisioned(cloud, zone);
        List<String> instances = group(asg).instances().stream().map(i -> i.instanceId()).toList();
        var teardown = new TeardownFleetHandler(zone.functionEnvironment(cloud, "TeardownFleetFunction"));

        // when teardown runs until it is ready, as the workflow's wait loop does
        JsonNode out = StageHarness.invoke(teardown, state);
        for (int i = 0; i < 5 && !out.get("ready").asBoolean(); i++) out = StageHarness.invoke(teardown, state);

        // then the group, its instances and the launch template are gone
        assertThat(out.get("ready").asBoolean()).isTrue();
        assertThat(asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("vprofile-app")).autoScalingGroups()).isEmpty();
        assertThat(ec2.describeInstances(b -> b.instanceIds(instances)).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(i -> i.state().nameAsString()))
                .allMatch(s -> s.equals("terminated") || s.equals("shutting-down"));
        assertThat(ec2.describeLaunchTemplates().launchTemplates()).isEmpty();

        // and a second teardown finds nothing and is ready
        JsonNode again = StageHarness.invoke(teardown, state);
        assertThat(again.get("ready").asBoolean()).isTrue();
        assertThat(again.get("deleted")).isEmpty();
    }

    static ProvisionAutoScalingGroupHandler handler(LocalCloud cloud, LandingZone zone) {
        return new ProvisionAutoScalingGroupHandler(zone.functionEnvironment(cloud, "ProvisionAutoScalingGroupFunction"));
    }

    static AutoScalingGroup group(AutoScalingClient asg) {
        return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("vprofile-app")).autoScalingGroups().getFirst();
    }
}
