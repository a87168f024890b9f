package dev.pipeline.provision.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class TeardownSecurityGroupsIT {

    @Test
    void teardown_deletesTheThreeGroups_althoughTheyReferenceEachOther_inAndOut(LocalCloud cloud, Ec2Client ec2) {
        // given the provisioned groups (app names alb, backend names app and itself) and another environment's group
        LandingZone zone = LandingZone.create(cloud);
        JsonNode groups = ProvisionSecurityGroupsIT.provision(zone, cloud, zone.spec());
        // and an outbound reference added by hand (the load balancer narrowed to Tomcat): revoked too, as its role
        ec2.authorizeSecurityGroupEgress(b -> b.groupId(groups.path("albGroupId").asText()).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(8080).toPort(8080).userIdGroupPairs(g -> g.groupId(groups.path("appGroupId").asText()))));
        String staging = ec2.createSecurityGroup(b -> b.vpcId(zone.vpcId()).groupName("staging-app-sg").description("staging")
                .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(
                        tag("pipeline:environment", "staging"), tag("pipeline:component", "app-sg")))).groupId();

        // when
        JsonNode out = teardown(zone, cloud, state(zone));

        // then ours are gone, the other environment's is not
        assertThat(out.path("ready").asBoolean()).isTrue();
        assertThat(ids(out.path("deleted"))).containsExactlyInAnyOrder(groups.path("albGroupId").asText(),
                groups.path("appGroupId").asText(), groups.path("backendGroupId").asText());
        assertThat(groupsInVpc(ec2, zone)).extracting(SecurityGroup::groupId)
                .containsExactlyInAnyOrder(defaultGroup(ec2, zone), staging);
    }

    @Test
    void teardown_isFine_twice_andWhenThereWasNothing(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        JsonNode nothing = teardown(zone, cloud, state(zone));
        ProvisionSecurityGroupsIT.provision(zone, cloud, zone.spec());
        teardown(zone, cloud, state(zone));

        JsonNode again = teardown(zone, cloud, state(zone));

        assertThat(nothing.path("ready").asBoolean()).isTrue();
        assertThat(again.path("ready").asBoolean()).isTrue();
        assertThat(again.path("deleted")).isEmpty();
        assertThat(groupsInVpc(ec2, zone)).extracting(SecurityGroup::groupName).containsExactly("default");
    }

    @Test
    void teardown_isNotReady_whileAnInstanceStillUsesAGroup_andFinishesOnceItIsGone(LocalCloud cloud, Ec2Client ec2) {
        // given a backend instance still running with the backend group
        LandingZone zone = LandingZone.create(cloud);
        JsonNode groups = ProvisionSecurityGroupsIT.provision(zone, cloud, zone.spec());
        String backend = groups.path("backendGroupId").asText();
        String instance = ec2.runInstances(b -> b.imageId("ami-0aaaaaaaaaaaaaaa1").instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1).subnetId(zone.appSubnets().getFirst()).securityGroupIds(backend))
                .instances().getFirst().instanceId();

        // when tearing down, then the others go, the used one waits, and that is not an error
        JsonNode first = teardown(zone, cloud, state(zone));
        assertThat(first.path("ready").asBoolean()).isFalse();
        assertThat(ids(first.path("deleted"))).containsExactlyInAnyOrder(groups.path("albGroupId").asText(),
                groups.path("appGroupId").asText());
        assertThat(groupsInVpc(ec2, zone)).extracting(SecurityGroup::groupId).contains(backend);

        // when the instance is gone, the next call finishes
        ec2.terminateInstances(b -> b.instanceIds(instance));
        JsonNode second = teardown(zone, cloud, state(zone));
        assertThat(second.path("ready").asBoolean()).isTrue();
        assertThat(ids(second.path("deleted"))).containsExactly(backend);
        assertThat(groupsInVpc(ec2, zone)).extracting(SecurityGroup::groupName).containsExactly("default");
    }

    @Test
    void teardown_fails_whenStillInUsePastTheRunsDeadline(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        JsonNode groups = ProvisionSecurityGroupsIT.provision(zone, cloud, zone.spec());
        String instance = ec2.runInstances(b -> b.imageId("ami-0aaaaaaaaaaaaaaa1").instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1).subnetId(zone.appSubnets().getFirst())
                .securityGroupIds(groups.path("appGroupId").asText())).instances().getFirst().instanceId();
        ObjectNode state = state(zone);
        ((ObjectNode) state.get("run")).put("startedAt", Instant.now().minusSeconds(3600).toString()).put("timeoutSeconds", 600);

        assertThatThrownBy(() -> teardown(zone, cloud, state))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("vprofile-app-sg").hasMessageContaining(instance);
    }

    @Test
    void teardown_failsAtOnce_whenSomeoneElsesGroupNamesOurs(LocalCloud cloud, Ec2Client ec2) {
        // given a bastion group of the user's that allows Tomcat from our app group
        LandingZone zone = LandingZone.create(cloud);
        JsonNode groups = ProvisionSecurityGroupsIT.provision(zone, cloud, zone.spec());
        String app = groups.path("appGroupId").asText();
        String bastion = ec2.createSecurityGroup(b -> b.vpcId(zone.vpcId()).groupName("bastion").description("user's")).groupId();
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(bastion).ipPermissions(p -> p.ipProtocol("tcp").fromPort(8080)
                .toPort(8080).userIdGroupPairs(g -> g.groupId(app))));

        // then waiting would not help: the stage says what to fix
        assertThatThrownBy(() -> teardown(zone, cloud, state(zone)))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("vprofile-app-sg (" + app + ")").hasMessageContaining("bastion (" + bastion + ")");
    }

    private static JsonNode teardown(LandingZone zone, LocalCloud cloud, JsonNode state) {
        return StageHarness.invoke(new TeardownSecurityGroupsHandler(zone.functionEnvironment(cloud, "TeardownSecurityGroupsFunction")), state);
    }

    private static ObjectNode state(LandingZone zone) {
        return StageHarness.state(zone.spec());
    }

    private static List<SecurityGroup> groupsInVpc(Ec2Client ec2, LandingZone zone) {
        return ec2.describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(zone.vpcId()))).securityGroups();
    }

    private static String defaultGroup(Ec2Client ec2, LandingZone zone) {
        return groupsInVpc(ec2, zone).stream().filter(g -> g.groupName().equals("default")).findFirst().orElseThrow().groupId();
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
