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
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.pipeline.provision.network.SecurityGroupAssertions.descriptions;
import static dev.pipeline.provision.network.SecurityGroupAssertions.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class ProvisionSecurityGroupsIT {
    private static final String ADMIN = "203.0.113.10/32";
    private static final String CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

    @Test
    void provision_createsTheSeedsRules_exactly(LocalCloud cloud, Ec2Client ec2) {
        // given the example spec: no certificate, SSH off
        LandingZone zone = LandingZone.create(cloud);

        // when
        JsonNode out = provision(zone, cloud, zone.spec());

        // then three groups in the VPC, with exactly the pipeline column of the seed's table
        String alb = out.path("albGroupId").asText();
        String app = out.path("appGroupId").asText();
        String backend = out.path("backendGroupId").asText();
        assertThat(rules(ec2, alb)).containsExactlyInAnyOrder(
                "in tcp 80 0.0.0.0/0", "in tcp 80 ::/0", "out all 0.0.0.0/0");
        assertThat(rules(ec2, app)).containsExactlyInAnyOrder(
                "in tcp 8080 " + alb, "in tcp 8080 " + ADMIN, "out all 0.0.0.0/0");
        assertThat(rules(ec2, backend)).containsExactlyInAnyOrder(
                "in tcp 3306 " + app, "in tcp 11211 " + app, "in tcp 5672 " + app, "in all " + backend, "out all 0.0.0.0/0");
        assertOnlyTheLoadBalancerIsOpenToTheInternet(ec2, alb, app, backend);
        for (String id : List.of(alb, app, backend)) {
            assertThat(descriptions(ec2, id)).as(id).hasSize(rules(ec2, id).size()).doesNotContainValue("null");
        }
    }

    @Test
    void groups_areNamedAndTagged_inTheSpecsVpc(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);

        JsonNode out = provision(zone, cloud, zone.spec());

        SecurityGroup app = group(ec2, out.path("appGroupId").asText());
        assertThat(app.groupName()).isEqualTo("vprofile-app-sg");
        assertThat(app.vpcId()).isEqualTo(zone.vpcId());
        assertThat(app.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()))).containsAllEntriesOf(Map.of(
                "pipeline:environment", "vprofile", "pipeline:component", "app-sg", "Name", "vprofile-app-sg",
                "project", "vprofile"));
    }

    @Test
    void certificate_opens443_andSsh_opens22FromTheAdminCidrOnly(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.get("loadBalancer")).put("certificateArn", CERTIFICATE);
        ((ObjectNode) spec.get("network")).put("sshEnabled", true);

        JsonNode out = provision(zone, cloud, spec);

        String alb = out.path("albGroupId").asText();
        String app = out.path("appGroupId").asText();
        String backend = out.path("backendGroupId").asText();
        assertThat(rules(ec2, alb)).containsExactlyInAnyOrder(
                "in tcp 80 0.0.0.0/0", "in tcp 80 ::/0", "in tcp 443 0.0.0.0/0", "in tcp 443 ::/0", "out all 0.0.0.0/0");
        assertThat(rules(ec2, app)).filteredOn(r -> r.startsWith("in tcp 22 ")).containsExactly("in tcp 22 " + ADMIN);
        assertThat(rules(ec2, backend)).filteredOn(r -> r.startsWith("in tcp 22 ")).containsExactly("in tcp 22 " + ADMIN);
        assertThat(rules(ec2, alb)).noneMatch(r -> r.startsWith("in tcp 22 "));
        assertOnlyTheLoadBalancerIsOpenToTheInternet(ec2, alb, app, backend);
    }

    @Test
    void turningSshAndTheCertificateOff_closesTheirPorts(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.get("loadBalancer")).put("certificateArn", CERTIFICATE);
        ((ObjectNode) spec.get("network")).put("sshEnabled", true);
        provision(zone, cloud, spec);

        JsonNode out = provision(zone, cloud, zone.spec());

        assertThat(rules(ec2, out.path("albGroupId").asText())).noneMatch(r -> r.contains("tcp 443"));
        assertThat(rules(ec2, out.path("appGroupId").asText())).noneMatch(r -> r.contains("tcp 22 "));
        assertThat(rules(ec2, out.path("backendGroupId").asText())).noneMatch(r -> r.contains("tcp 22 "));
    }

    @Test
    void provision_reusesGroupsAndRules_whenRunTwice(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        JsonNode first = provision(zone, cloud, zone.spec());
        int rulesBefore = ruleCount(ec2, first);

        JsonNode second = provision(zone, cloud, zone.spec());

        assertThat(second).isEqualTo(first);
        assertThat(ruleCount(ec2, second)).isEqualTo(rulesBefore);
        assertThat(ec2.describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(zone.vpcId()))).securityGroups())
                .hasSize(4); // ours and the VPC's default
    }

    @Test
    void provision_revokesARuleAddedByHand_andRestoresOneRemovedByHand(LocalCloud cloud, Ec2Client ec2) {
        // given someone opened MariaDB to the world and removed the load balancer's way to Tomcat
        LandingZone zone = LandingZone.create(cloud);
        JsonNode out = provision(zone, cloud, zone.spec());
        String alb = out.path("albGroupId").asText();
        String app = out.path("appGroupId").asText();
        String backend = out.path("backendGroupId").asText();
        List<String> appRules = rules(ec2, app);
        List<String> backendRules = rules(ec2, backend);
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(backend).ipPermissions(p -> p.ipProtocol("tcp").fromPort(3306)
                .toPort(3306).ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        String tomcatFromAlb = ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(app)))
                .securityGroupRules().stream().filter(r -> r.referencedGroupInfo() != null).findFirst().orElseThrow()
                .securityGroupRuleId();
        ec2.revokeSecurityGroupIngress(b -> b.groupId(app).securityGroupRuleIds(tomcatFromAlb));
        assertThat(rules(ec2, backend)).contains("in tcp 3306 0.0.0.0/0");
        assertThat(rules(ec2, app)).doesNotContain("in tcp 8080 " + alb);

        // when provisioning again
        provision(zone, cloud, zone.spec());

        // then both groups are back to the table
        assertThat(rules(ec2, backend)).containsExactlyInAnyOrderElementsOf(backendRules).doesNotContain("in tcp 3306 0.0.0.0/0");
        assertThat(rules(ec2, app)).containsExactlyInAnyOrderElementsOf(appRules).contains("in tcp 8080 " + alb);
    }

    @Test
    void provision_putsTheOutboundRulesBack_too(LocalCloud cloud, Ec2Client ec2) {
        // given someone replaced Tomcat's "all outbound" with a single port
        LandingZone zone = LandingZone.create(cloud);
        String app = provision(zone, cloud, zone.spec()).path("appGroupId").asText();
        List<String> appRules = rules(ec2, app);
        String allOut = ec2.describeSecurityGroupRules(b -> b.filters(f -> f.name("group-id").values(app)))
                .securityGroupRules().stream().filter(r -> Boolean.TRUE.equals(r.isEgress())).findFirst().orElseThrow()
                .securityGroupRuleId();
        ec2.revokeSecurityGroupEgress(b -> b.groupId(app).securityGroupRuleIds(allOut));
        ec2.authorizeSecurityGroupEgress(b -> b.groupId(app).ipPermissions(p -> p.ipProtocol("tcp").fromPort(25).toPort(25)
                .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
        assertThat(rules(ec2, app)).contains("out tcp 25 0.0.0.0/0").doesNotContain("out all 0.0.0.0/0");

        // when provisioning again (as its role: revoking a rule by id and authorizing egress are granted to it)
        provision(zone, cloud, zone.spec());

        // then the group has its own outbound rule again, and only it
        assertThat(rules(ec2, app)).containsExactlyInAnyOrderElementsOf(appRules);
    }

    @Test
    void provision_movesTheAdminRules_whenTheAdminCidrChanges(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        provision(zone, cloud, zone.spec());
        ObjectNode spec = zone.spec();
        ((ObjectNode) spec.get("network")).put("adminCidr", "198.51.100.0/24");

        JsonNode out = provision(zone, cloud, spec);

        assertThat(rules(ec2, out.path("appGroupId").asText()))
                .contains("in tcp 8080 198.51.100.0/24").doesNotContain("in tcp 8080 " + ADMIN);
    }

    @Test
    void provision_refusesToAdoptAnUntaggedGroupWithItsName_andCreatesNothing(LocalCloud cloud, Ec2Client ec2) {
        LandingZone zone = LandingZone.create(cloud);
        String stranger = ec2.createSecurityGroup(b -> b.vpcId(zone.vpcId()).groupName("vprofile-backend-sg")
                .description("made by hand")).groupId();

        assertThatThrownBy(() -> provision(zone, cloud, zone.spec()))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("vprofile-backend-sg (" + stranger + ")").hasMessageContaining("not tagged");
        assertThat(ec2.describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(zone.vpcId()))).securityGroups())
                .extracting(SecurityGroup::groupName).containsExactlyInAnyOrder("default", "vprofile-backend-sg");
    }

    static JsonNode provision(LandingZone zone, LocalCloud cloud, JsonNode spec) {
        return StageHarness.invoke(new ProvisionSecurityGroupsHandler(zone.functionEnvironment(cloud, "ProvisionSecurityGroupsFunction")), StageHarness.state(spec));
    }

    private static void assertOnlyTheLoadBalancerIsOpenToTheInternet(Ec2Client ec2, String alb, String... others) {
        assertThat(rules(ec2, alb)).filteredOn(r -> r.startsWith("in ") && (r.endsWith(" 0.0.0.0/0") || r.endsWith(" ::/0")))
                .allMatch(r -> r.startsWith("in tcp 80 ") || r.startsWith("in tcp 443 "));
        for (String id : others) {
            assertThat(rules(ec2, id)).filteredOn(r -> r.startsWith("in "))
                    .noneMatch(r -> r.endsWith(" 0.0.0.0/0") || r.endsWith(" ::/0"));
        }
    }

    private static int ruleCount(Ec2Client ec2, JsonNode out) {
        return rules(ec2, out.path("albGroupId").asText()).size() + rules(ec2, out.path("appGroupId").asText()).size()
                + rules(ec2, out.path("backendGroupId").asText()).size();
    }

    private static SecurityGroup group(Ec2Client ec2, String id) {
        return ec2.describeSecurityGroups(b -> b.groupIds(id)).securityGroups().getFirst();
    }
}
