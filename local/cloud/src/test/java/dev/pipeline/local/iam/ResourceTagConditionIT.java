package dev.pipeline.local.iam;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.iam.IamClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An aws:ResourceTag condition is decided on the resource's tags as they are at the request, however they were
 * changed (through the gateway, or on moto directly); a policy that names no resource tag needs none read.
 */
@ExtendWith(LocalCloudExtension.class)
class ResourceTagConditionIT {

    private static Ec2Client as(LocalCloud cloud, IamClient iam, String role, String policy) {
        iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        iam.putRolePolicy(b -> b.roleName(role).policyName("p").policyDocument(policy.replace('\'', '"')));
        return Ec2Client.builder().endpointOverride(cloud.endpoint()).region(Region.of(LocalCloud.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        RoleCredentials.accessKeyFor(role), RoleCredentials.SECRET, RoleCredentials.SESSION_TOKEN)))
                .build();
    }

    private static void env(Ec2Client client, String vpc, String value) {
        client.createTags(b -> b.resources(vpc).tags(t -> t.key("pipeline:environment").value(value)));
    }

    @Test
    void theResourcesTagsAreReadAtEachRequest_whereverTheyWereChanged(LocalCloud cloud, IamClient iam, Ec2Client admin) {
        String vpc = admin.describeVpcs().vpcs().getFirst().vpcId();
        env(admin, vpc, "bench");
        Ec2Client role = as(cloud, iam, "tag-reader", "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'ec2:CreateTags',"
                + "'Resource':'arn:aws:ec2:*:*:vpc/*','Condition':{'StringEquals':{'aws:ResourceTag/pipeline:environment':'bench'}}}]}");

        role.createTags(b -> b.resources(vpc).tags(t -> t.key("note").value("1")));

        env(admin, vpc, "other"); // through the gateway
        assertThatThrownBy(() -> role.createTags(b -> b.resources(vpc).tags(t -> t.key("note").value("2"))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation"));

        try (Ec2Client moto = cloud.motoClient(Ec2Client.class)) {
            env(moto, vpc, "bench"); // on moto itself, past the gateway
        }
        role.createTags(b -> b.resources(vpc).tags(t -> t.key("note").value("3")));
        assertThat(admin.describeTags(b -> b.filters(f -> f.name("key").values("note"))).tags())
                .singleElement().satisfies(t -> assertThat(t.value()).isEqualTo("3"));
    }

    @Test
    void aPolicyThatNamesNoResourceTag_decidesWithoutThem(LocalCloud cloud, IamClient iam, Ec2Client admin) {
        String vpc = admin.describeVpcs().vpcs().getFirst().vpcId();
        env(admin, vpc, "other");
        Ec2Client role = as(cloud, iam, "tag-writer", "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'ec2:CreateTags',"
                + "'Resource':'arn:aws:ec2:*:*:vpc/*','Condition':{'StringEquals':{'aws:RequestTag/note':'ok'}}}]}");

        role.createTags(b -> b.resources(vpc).tags(t -> t.key("note").value("ok")));
        assertThatThrownBy(() -> role.createTags(b -> b.resources(vpc).tags(t -> t.key("note").value("no"))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation"));
    }
}
