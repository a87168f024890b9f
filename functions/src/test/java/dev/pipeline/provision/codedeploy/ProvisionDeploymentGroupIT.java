package dev.pipeline.provision.codedeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import dev.pipeline.provision.fleet.TeardownFleetHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.ApplicationDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupInfo;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class ProvisionDeploymentGroupIT {

    @Test
    void provision_createsApplicationAndInPlaceGroup_onTheFleetBehindTheTargetGroup_rollingBackOnFailureAndAlarms(
            LocalCloud cloud, CodeDeployClient cd) {
        // given the environment's Auto Scaling group
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = withFleet(cloud, zone, zone.spec());

        // when
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then the application is named after the environment, for EC2 instances
        assertThat(cd.getApplication(b -> b.applicationName("vprofile")).application().computePlatformAsString()).isEqualTo("Server");
        // and its group vprofile-fleet deploys in place to the fleet, taking each instance out of the target group
        DeploymentGroupInfo g = group(cd);
        assertThat(g.autoScalingGroups()).extracting(a -> a.name()).containsExactly("vprofile-app");
        assertThat(g.deploymentStyle().deploymentTypeAsString()).isEqualTo("IN_PLACE");
        assertThat(g.deploymentStyle().deploymentOptionAsString()).isEqualTo("WITH_TRAFFIC_CONTROL");
        assertThat(g.loadBalancerInfo().targetGroupInfoList()).extracting(t -> t.name()).containsExactly("vprofile-tg");
        assertThat(g.deploymentConfigName()).isEqualTo("CodeDeployDefault.OneAtATime");
        // rolls back on failure and on the environment's 5xx alarm (not its healthy-hosts one, which every batch of an
        // in-place release would set off), as the service role
        assertThat(g.autoRollbackConfiguration().enabled()).isTrue();
        assertThat(g.autoRollbackConfiguration().eventsAsStrings())
                .containsExactlyInAnyOrder("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM");
        assertThat(g.alarmConfiguration().enabled()).isTrue();
        assertThat(g.alarmConfiguration().alarms()).extracting(a -> a.name()).containsExactly("vprofile-target-5xx");
        assertThat(g.serviceRoleArn()).isEqualTo(LandingZone.codeDeployServiceRoleArn());
        // and the stage says what the deploy workflow deploys to
        assertThat(out.get("applicationName").asText()).isEqualTo(DeploymentGroupNames.application("vprofile"));
        assertThat(out.get("deploymentGroupName").asText()).isEqualTo(DeploymentGroupNames.group("vprofile")).isEqualTo("vprofile-fleet");
        assertThat(out.get("deploymentGroupId").asText()).isEqualTo(g.deploymentGroupId());
        assertThat(out.get("changes")).hasSize(2);
    }

    @Test
    void provision_changesNothing_whenRunTwice(LocalCloud cloud, CodeDeployClient cd) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = withFleet(cloud, zone, zone.spec());
        StageHarness.invoke(handler(cloud, zone), state);
        String id = group(cd).deploymentGroupId();

        JsonNode again = StageHarness.invoke(handler(cloud, zone), state);

        assertThat(again.get("changes")).isEmpty();
        assertThat(group(cd).deploymentGroupId()).isEqualTo(id);
        assertThat(cd.listDeploymentGroups(b -> b.applicationName("vprofile")).deploymentGroups()).containsExactly("vprofile-fleet");
    }

    @Test
    void provision_updatesTheGroup_whenTheSpecsConfigChanged_orSomeoneEditedIt(LocalCloud cloud, CodeDeployClient cd) {
        // given a provisioned group that someone edited: no automatic rollback, no alarms
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = withFleet(cloud, zone, zone.spec());
        StageHarness.invoke(handler(cloud, zone), state);
        String id = group(cd).deploymentGroupId();
        cd.updateDeploymentGroup(b -> b.applicationName("vprofile").currentDeploymentGroupName("vprofile-fleet")
                .autoRollbackConfiguration(r -> r.enabled(false)).alarmConfiguration(a -> a.enabled(false)));

        // when provisioning runs with a spec that now asks for half the fleet at a time
        ObjectNode spec = zone.spec();
        spec.withObject("deployment").withObject("inPlace").put("config", "CodeDeployDefault.HalfAtATime");
        state.set("spec", spec);
        JsonNode out = StageHarness.invoke(handler(cloud, zone), state);

        // then the same group has the spec's configuration, rollback and alarms again, and the changes say so
        DeploymentGroupInfo g = group(cd);
        assertThat(g.deploymentGroupId()).isEqualTo(id);
        assertThat(g.deploymentConfigName()).isEqualTo("CodeDeployDefault.HalfAtATime");
        assertThat(g.autoRollbackConfiguration().enabled()).isTrue();
        assertThat(g.alarmConfiguration().enabled()).isTrue();
        assertThat(out.get("deploymentConfigName").asText()).isEqualTo("CodeDeployDefault.HalfAtATime");
        assertThat(out.get("changes").toString()).contains("deployment configuration", "automatic rollback", "alarms");
    }

    @Test
    void provision_failsNamingTheAutoScalingGroup_whenItDoesNotExist(LocalCloud cloud, CodeDeployClient cd) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = StageHarness.state(zone.spec());
        state.putObject("fleet").put("groupName", "vprofile-app");

        assertThatThrownBy(() -> StageHarness.invoke(handler(cloud, zone), state))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("Auto Scaling group [vprofile-app]").hasMessageContaining("does not exist");
        assertThat(cd.listDeploymentGroups(b -> b.applicationName("vprofile")).deploymentGroups()).isEmpty();
    }

    @Test
    void provision_failsNamingTheServiceRole_whenItDoesNotExist(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = withFleet(cloud, zone, zone.spec());
        Map<String, String> env = new HashMap<>(zone.functionEnvironment(cloud, "ProvisionDeploymentGroupFunction"));
        String missing = "arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/vprofile-NoSuchRole";
        env.put(ProvisionDeploymentGroupHandler.SERVICE_ROLE_ARN, missing);

        assertThatThrownBy(() -> StageHarness.invoke(new ProvisionDeploymentGroupHandler(env), state))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("service role " + missing);
    }

    @Test
    void provision_refusesToStart_withoutTheServiceRoleVariable(LocalCloud cloud) {
        LandingZone zone = LandingZone.create(cloud);
        Map<String, String> env = new HashMap<>(zone.functionEnvironment(cloud, "ProvisionDeploymentGroupFunction"));
        env.remove(ProvisionDeploymentGroupHandler.SERVICE_ROLE_ARN);

        assertThatThrownBy(() -> new ProvisionDeploymentGroupHandler(env))
                .hasMessageContaining(ProvisionDeploymentGroupHandler.SERVICE_ROLE_ARN);
    }

    @Test
    void teardownFleet_deletesGroupAndApplication_beforeTheAutoScalingGroup_andIsFineTwice(
            LocalCloud cloud, CodeDeployClient cd, AutoScalingClient asg) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode state = withFleet(cloud, zone, zone.spec());
        StageHarness.invoke(handler(cloud, zone), state);
        var teardown = new TeardownFleetHandler(zone.functionEnvironment(cloud, "TeardownFleetFunction"));

        JsonNode out = StageHarness.invokeUntilReady(teardown, state);

        assertThat(out.get("deleted").toString()).contains("CodeDeploy deployment group vprofile-fleet", "CodeDeploy application vprofile");
        assertThatThrownBy(() -> cd.getApplication(b -> b.applicationName("vprofile"))).isInstanceOf(ApplicationDoesNotExistException.class);
        assertThat(asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("vprofile-app")).autoScalingGroups()).isEmpty();

        JsonNode again = StageHarness.invokeUntilReady(teardown, state);
        assertThat(again.get("deleted")).isEmpty();
    }

    static ProvisionDeploymentGroupHandler handler(LocalCloud cloud, LandingZone zone) {
        return new ProvisionDeploymentGroupHandler(zone.functionEnvironment(cloud, "ProvisionDeploymentGroupFunction"));
    }

    static DeploymentGroupInfo group(CodeDeployClient cd) {
        return cd.getDeploymentGroup(b -> b.applicationName("vprofile").deploymentGroupName("vprofile-fleet")).deploymentGroupInfo();
    }

    /**
     * The state after ProvisionAutoScalingGroup, as far as this stage reads it: the spec's group {@code vprofile-app}
     * exists (empty: CodeDeploy needs the group, not instances) on a launch template from the base image.
     */
    static ObjectNode withFleet(LocalCloud cloud, LandingZone zone, ObjectNode spec) {
        String image = cloud.client(SsmClient.class).getParameter(b -> b.name(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")).parameter().value();
        String lt = cloud.client(Ec2Client.class).createLaunchTemplate(b -> b.launchTemplateName("vprofile-app")
                .launchTemplateData(d -> d.imageId(image).instanceType("t3.small"))).launchTemplate().launchTemplateId();
        cloud.client(AutoScalingClient.class).createAutoScalingGroup(b -> b.autoScalingGroupName("vprofile-app")
                .launchTemplate(t -> t.launchTemplateId(lt).version("1")).minSize(0).maxSize(1).desiredCapacity(0)
                .vpcZoneIdentifier(String.join(",", zone.appSubnets()))
                .tags(t -> t.key("pipeline:environment").value("vprofile").propagateAtLaunch(true)
                        .resourceId("vprofile-app").resourceType("auto-scaling-group")));
        ObjectNode state = StageHarness.state(spec);
        state.putObject("fleet").put("groupName", "vprofile-app").put("ready", true);
        return state;
    }
}
