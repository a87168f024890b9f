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
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local cloud refuses a role's request as AWS's IAM would, in the service's own error shape and words. */
@ExtendWith(LocalCloudExtension.class)
class IamEnforcementIT {
    private static final String ROLE = "iam-it-launcher";
    private static final String ENV_TAG = "aws:RequestTag/pipeline:environment";

    private static void role(IamClient iam, String name, String policy) {
        iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        iam.putRolePolicy(b -> b.roleName(name).policyName("p").policyDocument(policy.replace('\'', '"')));
    }

    private static <T> T as(LocalCloud cloud, String role, software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<?, T> builder) {
        return builder.endpointOverride(cloud.endpoint()).region(Region.of(LocalCloud.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        RoleCredentials.accessKeyFor(role), RoleCredentials.SECRET, RoleCredentials.SESSION_TOKEN)))
                .build();
    }

    private static String imageId(Ec2Client admin) {
        return admin.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
    }

    private static final String LAUNCH_POLICY = "{'Version':'2012-10-17','Statement':["
            + "{'Effect':'Allow','Action':'ec2:RunInstances','Resource':['arn:aws:ec2:*:*:instance/*','arn:aws:ec2:*:*:volume/*'],'Condition':{'StringEquals':{'" + ENV_TAG + "':'vprofile'}}},"
            + "{'Effect':'Allow','Action':'ec2:RunInstances','Resource':['arn:aws:ec2:*:*:subnet/*','arn:aws:ec2:*:*:security-group/*',"
            + "'arn:aws:ec2:*:*:network-interface/*','arn:aws:ec2:*::image/*']},"
            + "{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'*','Condition':{'StringEquals':{'ec2:CreateAction':'RunInstances'}}},"
            + "{'Effect':'Allow','Action':'ec2:DescribeInstances','Resource':'*'}]}";

    @Test
    void createWithAWrongOrMissingRequestTag_isRefused_andLaunchesNothing(LocalCloud cloud, IamClient iam, Ec2Client admin) {
        role(iam, ROLE, LAUNCH_POLICY);
        Ec2Client ec2 = as(cloud, ROLE, Ec2Client.builder());
        String image = imageId(admin);

        assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1)
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(g -> g.key("pipeline:environment").value("other")))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).contains(
                            "User: arn:aws:sts::" + LocalCloud.ACCOUNT_ID + ":assumed-role/" + ROLE + "/",
                            "is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:" + LocalCloud.ACCOUNT_ID + ":instance/*",
                            "because no identity-based policy allows the ec2:RunInstances action");
                });
        assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation"));
        assertThat(admin.describeInstances().reservations()).isEmpty();

        // the right tag on every new resource: launched
        ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1).tagSpecifications(
                t -> t.resourceType(ResourceType.INSTANCE).tags(g -> g.key("pipeline:environment").value("vprofile")),
                t -> t.resourceType(ResourceType.VOLUME).tags(g -> g.key("pipeline:environment").value("vprofile")),
                t -> t.resourceType(ResourceType.NETWORK_INTERFACE).tags(g -> g.key("pipeline:environment").value("vprofile"))));
        assertThat(admin.describeInstances().reservations()).hasSize(1);
    }

    @Test
    void passingARoleItMayNotPass_isRefused_namingIamPassRole(LocalCloud cloud, IamClient iam, Ec2Client admin) {
        String passable = "iam-it-passable";
        String other = "iam-it-other";
        for (String r : new String[] {passable, other}) {
            iam.createRole(b -> b.roleName(r).assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
            iam.createInstanceProfile(b -> b.instanceProfileName(r + "-profile"));
            iam.addRoleToInstanceProfile(b -> b.instanceProfileName(r + "-profile").roleName(r));
        }
        role(iam, ROLE, LAUNCH_POLICY.substring(0, LAUNCH_POLICY.length() - 2) + (",{'Effect':'Allow','Action':'iam:PassRole','Resource':'arn:aws:iam::"
                + LocalCloud.ACCOUNT_ID + ":role/" + passable + "','Condition':{'StringEquals':{'iam:PassedToService':'ec2.amazonaws.com'}}}]}"));
        Ec2Client ec2 = as(cloud, ROLE, Ec2Client.builder());
        String image = imageId(admin);

        assertThatThrownBy(() -> ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1)
                .iamInstanceProfile(p -> p.name(other + "-profile"))
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(g -> g.key("pipeline:environment").value("vprofile")),
                        t -> t.resourceType(ResourceType.VOLUME).tags(g -> g.key("pipeline:environment").value("vprofile")))))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .contains("not authorized to perform: iam:PassRole on resource: arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/" + other));

        ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1).iamInstanceProfile(p -> p.name(passable + "-profile"))
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(g -> g.key("pipeline:environment").value("vprofile")),
                        t -> t.resourceType(ResourceType.VOLUME).tags(g -> g.key("pipeline:environment").value("vprofile"))));
        assertThat(admin.describeInstances().reservations()).hasSize(1);
    }

    @Test
    void anAutoScalingGroupFromALaunchTemplate_needsRunInstancesOnIt_andCreateTagsForItsTags(
            LocalCloud cloud, IamClient iam, Ec2Client admin) {
        String lt = admin.createLaunchTemplate(b -> b.launchTemplateName("iam-it-lt").launchTemplateData(d -> d
                .imageId(imageId(admin)).instanceType("t3.micro")
                .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(g -> g.key("pipeline:environment").value("vprofile")))))
                .launchTemplate().launchTemplateId();
        String subnet = admin.describeSubnets().subnets().getFirst().subnetId();
        String groupOnly = "{'Effect':'Allow','Action':['autoscaling:CreateAutoScalingGroup','iam:CreateServiceLinkedRole'],'Resource':'*'}";
        String runOnTemplate = "{'Effect':'Allow','Action':'ec2:RunInstances','Resource':'arn:aws:ec2:*:*:launch-template/*'}";
        String tagOnLaunch = "{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'*','Condition':{'StringEquals':{'ec2:CreateAction':'RunInstances'}}}";
        var asAdmin = cloud.client(software.amazon.awssdk.services.autoscaling.AutoScalingClient.class);
        java.util.function.Consumer<software.amazon.awssdk.services.autoscaling.model.CreateAutoScalingGroupRequest.Builder> group =
                b -> b.autoScalingGroupName("iam-it-asg").minSize(0).maxSize(1).desiredCapacity(0).vpcZoneIdentifier(subnet)
                        .launchTemplate(t -> t.launchTemplateId(lt).version("$Default"));

        role(iam, ROLE, "{'Version':'2012-10-17','Statement':[" + groupOnly + "]}");
        var autoscaling = as(cloud, ROLE, software.amazon.awssdk.services.autoscaling.AutoScalingClient.builder());
        assertThatThrownBy(() -> autoscaling.createAutoScalingGroup(group))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.autoscaling.model.AutoScalingException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("You are not authorized to use launch template: " + lt)
                            .contains("not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:" + LocalCloud.REGION + ":"
                                    + LocalCloud.ACCOUNT_ID + ":launch-template/" + lt);
                });

        iam.putRolePolicy(b -> b.roleName(ROLE).policyName("p").policyDocument(
                ("{'Version':'2012-10-17','Statement':[" + groupOnly + "," + runOnTemplate + "]}").replace('\'', '"')));
        assertThatThrownBy(() -> autoscaling.createAutoScalingGroup(group))
                .hasMessageContaining("not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:" + LocalCloud.REGION + ":"
                        + LocalCloud.ACCOUNT_ID + ":instance/*");
        assertThat(asAdmin.describeAutoScalingGroups().autoScalingGroups()).as("nothing created while refused").isEmpty();

        iam.putRolePolicy(b -> b.roleName(ROLE).policyName("p").policyDocument(
                ("{'Version':'2012-10-17','Statement':[" + groupOnly + "," + runOnTemplate + "," + tagOnLaunch + "]}").replace('\'', '"')));
        autoscaling.createAutoScalingGroup(group);
        assertThat(asAdmin.describeAutoScalingGroups().autoScalingGroups()).hasSize(1);
    }

    @Test
    void aConditionKeyTheEvaluatorDoesNotKnow_isRefusedAsNotModelled(LocalCloud cloud, IamClient iam) {
        role(iam, ROLE, "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'dynamodb:GetItem','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:SourceVpce':'vpce-1'}}}]}");
        DynamoDbClient dynamo = as(cloud, ROLE, DynamoDbClient.builder());
        assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName("locks").key(java.util.Map.of("id",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("x")))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("dynamodb:GetItem", "does not model condition key aws:SourceVpce");
                });
    }

    @Test
    void aMissingObject_is404_onlyToACallerWhoMayListTheBucket_andAccessDeniedToAnyOther(
            LocalCloud cloud, IamClient iam, software.amazon.awssdk.services.s3.S3Client admin) {
        admin.createBucket(b -> b.bucket("iam-it-bucket"));
        admin.putObject(b -> b.bucket("iam-it-bucket").key("here.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        String read = "{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::iam-it-bucket/*'}";
        role(iam, ROLE, "{'Version':'2012-10-17','Statement':[" + read + "]}");
        var s3 = as(cloud, ROLE, software.amazon.awssdk.services.s3.S3Client.builder().forcePathStyle(true));

        // an object that exists: read with s3:GetObject alone
        assertThat(s3.getObjectAsBytes(b -> b.bucket("iam-it-bucket").key("here.txt")).asUtf8String()).isEqualTo("x");
        assertThat(s3.headObject(b -> b.bucket("iam-it-bucket").key("here.txt")).contentLength()).isEqualTo(1L);
        // one that does not: S3 does not say so to a caller who may not list the bucket
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("iam-it-bucket").key("gone.txt")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.s3.model.S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("s3:ListBucket on resource: arn:aws:s3:::iam-it-bucket");
                });
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("iam-it-bucket").key("gone.txt")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.s3.model.S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));

        iam.putRolePolicy(b -> b.roleName(ROLE).policyName("p").policyDocument(("{'Version':'2012-10-17','Statement':[" + read
                + ",{'Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::iam-it-bucket'}]}").replace('\'', '"')));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("iam-it-bucket").key("gone.txt")))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("iam-it-bucket").key("gone.txt")))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class);
    }

    @Test
    void theOperatorsKeys_areAnAdministrators(Ec2Client admin) {
        assertThat(admin.describeVpcs().vpcs()).isNotEmpty();
    }
}
