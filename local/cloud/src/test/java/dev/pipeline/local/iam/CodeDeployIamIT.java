package dev.pipeline.local.iam;

import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.codedeploy.ServiceRoles;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.CodeDeployException;
import software.amazon.awssdk.services.codedeploy.model.CreateDeploymentRequest;
import software.amazon.awssdk.services.codedeploy.model.EC2TagFilterType;
import software.amazon.awssdk.services.iam.IamClient;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CodeDeploy calls signed by a role are judged as AWS's IAM would: each action on the resource the SAR lists for it
 * (the deployment group for CreateDeployment and GetDeployment), iam:PassRole for a group's service role, and the
 * refusal in CodeDeploy's shape (JSON protocol: HTTP 400 AccessDeniedException).
 */
@ExtendWith(LocalCloudExtension.class)
class CodeDeployIamIT {
    private static final String ROLE = "cd-iam-deployer";
    private static final String APP = "site";
    private static final String PREFIX = "arn:aws:codedeploy:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT_ID + ":";

    private static void role(IamClient iam, String name, String... statements) {
        iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        iam.putRolePolicy(b -> b.roleName(name).policyName("p").policyDocument(
                ("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}").replace('\'', '"')));
    }

    private static CodeDeployClient as(LocalCloud cloud, String role) {
        return CodeDeployClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(LocalCloud.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        RoleCredentials.accessKeyFor(role), RoleCredentials.SECRET, RoleCredentials.SESSION_TOKEN)))
                .build();
    }

    /** A group whose tag filter matches no instance: a deployment to it ends at once (NO_INSTANCES), nothing runs. */
    private static void group(CodeDeployClient admin, String name) {
        admin.createDeploymentGroup(b -> b.applicationName(APP).deploymentGroupName(name)
                .serviceRoleArn("arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/codedeploy")
                .ec2TagFilters(f -> f.key("role").value("nothing-" + name).type(EC2TagFilterType.KEY_AND_VALUE)));
    }

    private static Consumer<CreateDeploymentRequest.Builder> deployment(String group) {
        return b -> b.applicationName(APP).deploymentGroupName(group)
                .revision(r -> r.revisionType("S3").s3Location(s -> s.bucket("revisions").key("v1.zip").bundleType("zip")));
    }

    private static Consumer<Throwable> accessDenied(String action, String resource) {
        return t -> assertThat(t).isInstanceOfSatisfying(CodeDeployException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).contains(
                    "User: arn:aws:sts::" + LocalCloud.ACCOUNT_ID + ":assumed-role/" + ROLE + "/",
                    "is not authorized to perform: " + action + " on resource: " + resource,
                    "because no identity-based policy allows the " + action + " action");
        });
    }

    @Test
    void createDeployment_isAllowedOnlyOnTheGrantedGroup_andGetDeploymentOnTheDeploymentsGroup(LocalCloud cloud, IamClient iam) {
        CodeDeployClient admin = cloud.client(CodeDeployClient.class);
        admin.createApplication(b -> b.applicationName(APP));
        ServiceRoles.create(cloud, "codedeploy");
        group(admin, "web");
        group(admin, "canary");
        role(iam, ROLE, "{'Effect':'Allow','Action':['codedeploy:CreateDeployment','codedeploy:GetDeployment'],'Resource':'" + PREFIX + "deploymentgroup:" + APP + "/web'}");
        CodeDeployClient cd = as(cloud, ROLE);

        assertThatThrownBy(() -> cd.createDeployment(deployment("canary")))
                .satisfies(accessDenied("codedeploy:CreateDeployment", PREFIX + "deploymentgroup:" + APP + "/canary"));
        assertThat(admin.listDeployments(b -> b.applicationName(APP).deploymentGroupName("canary")).deployments())
                .as("a refused request changes nothing").isEmpty();

        String mine = cd.createDeployment(deployment("web")).deploymentId();
        assertThat(cd.getDeployment(b -> b.deploymentId(mine)).deploymentInfo().deploymentGroupName()).isEqualTo("web");
        // GetDeployment names only the id: it is authorized on that deployment's group (SAR: deploymentgroup)
        String theirs = admin.createDeployment(deployment("canary")).deploymentId();
        assertThatThrownBy(() -> cd.getDeployment(b -> b.deploymentId(theirs)))
                .satisfies(accessDenied("codedeploy:GetDeployment", PREFIX + "deploymentgroup:" + APP + "/canary"));
    }

    @Test
    void createDeploymentGroup_withAServiceRoleTheCallerMayNotPass_isRefused_namingIamPassRole(LocalCloud cloud, IamClient iam) {
        CodeDeployClient admin = cloud.client(CodeDeployClient.class);
        admin.createApplication(b -> b.applicationName(APP));
        String passable = ServiceRoles.create(cloud, "cd-service");
        String other = "arn:aws:iam::" + LocalCloud.ACCOUNT_ID + ":role/cd-admin";
        role(iam, ROLE,
                "{'Effect':'Allow','Action':'codedeploy:CreateDeploymentGroup','Resource':'" + PREFIX + "deploymentgroup:" + APP + "/*'}",
                "{'Effect':'Allow','Action':'iam:PassRole','Resource':'" + passable + "','Condition':{'StringEquals':{'iam:PassedToService':'codedeploy.amazonaws.com'}}}");
        CodeDeployClient cd = as(cloud, ROLE);

        assertThatThrownBy(() -> cd.createDeploymentGroup(b -> b.applicationName(APP).deploymentGroupName("web").serviceRoleArn(other)))
                .satisfies(accessDenied("iam:PassRole", other));
        assertThat(admin.listDeploymentGroups(b -> b.applicationName(APP)).deploymentGroups()).as("nothing created").isEmpty();

        cd.createDeploymentGroup(b -> b.applicationName(APP).deploymentGroupName("web").serviceRoleArn(passable));
        assertThat(admin.listDeploymentGroups(b -> b.applicationName(APP)).deploymentGroups()).containsExactly("web");
    }

    @Test
    void aResourceTagCondition_onACodeDeployResource_isNotModelled(LocalCloud cloud, IamClient iam) {
        CodeDeployClient admin = cloud.client(CodeDeployClient.class);
        admin.createApplication(b -> b.applicationName(APP));
        // the SAR lists aws:ResourceTag/* for applications, but the local CodeDeploy keeps no tags: no guess either way
        role(iam, ROLE, "{'Effect':'Allow','Action':'codedeploy:GetApplication','Resource':'*','Condition':{'StringNotEquals':{'aws:ResourceTag/team':'other'}}}");
        assertThatThrownBy(() -> as(cloud, ROLE).getApplication(b -> b.applicationName(APP)))
                .isInstanceOfSatisfying(CodeDeployException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("codedeploy:GetApplication",
                            "does not model condition key aws:ResourceTag/team on a CodeDeploy resource (the local CodeDeploy keeps no tags)");
                });
    }
}
