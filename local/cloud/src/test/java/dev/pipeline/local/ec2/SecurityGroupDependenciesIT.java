package dev.pipeline.local.ec2;

import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class SecurityGroupDependenciesIT {

    @Test
    void delete_isRefused_whileAnInstanceRunsWithTheGroup_andWorksOnceItIsTerminated(Ec2Client ec2) {
        // given an instance running with the group
        String vpc = vpc(ec2);
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.50.0.0/24")).subnet().subnetId();
        String sg = group(ec2, vpc, "app");
        String instance = ec2.runInstances(b -> b.imageId("ami-0aaaaaaaaaaaaaaa1").instanceType(InstanceType.T3_MICRO)
                .minCount(1).maxCount(1).subnetId(subnet).securityGroupIds(sg)).instances().getFirst().instanceId();

        // when deleting the group, then AWS's DependencyViolation, and the group is still there
        assertThatThrownBy(() -> ec2.deleteSecurityGroup(b -> b.groupId(sg)))
                .isInstanceOf(Ec2Exception.class)
                .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"))
                .hasMessageContaining("resource " + sg + " has a dependent object");
        assertThat(ec2.describeSecurityGroups(b -> b.groupIds(sg)).securityGroups()).hasSize(1);

        // when the instance is terminated, then the group can go
        ec2.terminateInstances(b -> b.instanceIds(instance));
        ec2.deleteSecurityGroup(b -> b.groupId(sg));
        assertThat(ec2.describeSecurityGroups(b -> b.filters(f -> f.name("group-id").values(sg))).securityGroups()).isEmpty();
    }

    @Test
    void delete_isRefused_whileAnotherGroupsRuleReferencesIt_butNotForItsOwnSelfRule(Ec2Client ec2) {
        // given app's rule naming alb, and backend's rule naming itself
        String vpc = vpc(ec2);
        String alb = group(ec2, vpc, "alb");
        String app = group(ec2, vpc, "app");
        String backend = group(ec2, vpc, "backend");
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(app).ipPermissions(p -> p.ipProtocol("tcp").fromPort(8080).toPort(8080)
                .userIdGroupPairs(g -> g.groupId(alb))));
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(backend).ipPermissions(p -> p.ipProtocol("-1")
                .userIdGroupPairs(g -> g.groupId(backend))));

        // then alb cannot go while app names it
        assertThatThrownBy(() -> ec2.deleteSecurityGroup(b -> b.groupId(alb)))
                .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));
        // and a group naming only itself goes
        ec2.deleteSecurityGroup(b -> b.groupId(backend));

        // when app's rule is revoked, alb goes too
        ec2.revokeSecurityGroupIngress(b -> b.groupId(app).ipPermissions(p -> p.ipProtocol("tcp").fromPort(8080).toPort(8080)
                .userIdGroupPairs(g -> g.groupId(alb))));
        ec2.deleteSecurityGroup(b -> b.groupId(alb));
        assertThat(ec2.describeSecurityGroups(b -> b.filters(f -> f.name("vpc-id").values(vpc))).securityGroups())
                .extracting(g -> g.groupName()).containsExactlyInAnyOrder("default", "app");
    }

    @Test
    void delete_ofAMissingGroup_isStillNotFound(Ec2Client ec2) {
        assertThatThrownBy(() -> ec2.deleteSecurityGroup(b -> b.groupId("sg-0123456789abcdef0")))
                .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidGroup.NotFound"));
    }

    private static String vpc(Ec2Client ec2) {
        return ec2.createVpc(b -> b.cidrBlock("10.50.0.0/16")).vpc().vpcId();
    }

    private static String group(Ec2Client ec2, String vpc, String name) {
        return ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName(name).description(name)).groupId();
    }
}
