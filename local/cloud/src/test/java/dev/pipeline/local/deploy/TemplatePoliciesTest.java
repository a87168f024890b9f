package dev.pipeline.local.deploy;

import dev.pipeline.local.deploy.TemplatePolicies.Role;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** template.yaml's roles as SAM expands them, every intrinsic resolved to the local deployment's values. */
class TemplatePoliciesTest {
    private static List<Role> roles() throws Exception {
        return TemplatePolicies.forReport(SamTemplate.read(SamTemplate.locate(Path.of(""))), "vprofile");
    }

    private static Role role(List<Role> roles, String logicalId) {
        return roles.stream().filter(r -> r.logicalId().equals(logicalId)).findFirst().orElseThrow();
    }

    @Test
    void functionRoles_carryTheirInlineStatements_resolved() throws Exception {
        String doc = role(roles(), "ProvisionBackendsFunction").policies().values().toString();
        assertThat(doc).contains("\"iam:PassRole\"", "arn:aws:iam::123456789012:role/vprofile-BackendInstanceRole",
                "\"aws:RequestTag/pipeline:environment\":\"vprofile\"", "arn:aws:ec2:us-east-1::image/*")
                .doesNotContain("${", "AWS::");
        assertThat(role(roles(), "ProvisionBackendsFunction").name()).isEqualTo("vprofile-ProvisionBackendsFunctionRole");
    }

    @Test
    void stateMachineRoles_expandLambdaInvokePolicy_asSamDoes() throws Exception {
        String doc = role(roles(), "ProvisionStateMachine").policies().values().toString();
        assertThat(doc).contains("\"lambda:InvokeFunction\"",
                "arn:aws:lambda:us-east-1:123456789012:function:vprofile-ProvisionDnsFunction*");
    }

    @Test
    void theDriftFixPolicy_isAttachedOnlyWhenAutoFixIsOn() throws Exception {
        // DriftAutoFix defaults to 'false': AutoFixEnabled does not hold
        assertThat(role(roles(), "CheckDriftFunction").policies().keySet()).noneMatch(n -> n.contains("DriftFixPolicy"));
        List<Role> fixing = TemplatePolicies.forReport(SamTemplate.read(SamTemplate.locate(Path.of(""))), "vprofile",
                java.util.Map.of("DriftAutoFix", "true"));
        assertThat(role(fixing, "CheckDriftFunction").policies()).containsKey("vprofile-DriftFixPolicy");
        assertThat(role(fixing, "CheckDriftFunction").policies().get("vprofile-DriftFixPolicy").toString())
                .contains("route53:ChangeResourceRecordSets", "\"UPSERT\"");
    }

    @Test
    void instanceRoles_includeTheAwsManagedPolicyTheyAttach() throws Exception {
        Role app = role(roles(), "AppInstanceRole");
        assertThat(app.name()).isEqualTo("vprofile-AppInstanceRole");
        assertThat(app.service()).isEqualTo("ec2.amazonaws.com");
        assertThat(app.policies()).containsKeys("read-releases-and-configuration", "aws-managed-AmazonSSMManagedInstanceCore");
        assertThat(app.policies().get("read-releases-and-configuration").toString())
                .contains("arn:aws:s3:::vprofile-artifacts-123456789012/releases/*");
    }

    @Test
    void aManagedPolicyOfTheTemplate_isPartOfEveryRoleThatRefsIt_functionsAndDeclaredRoles(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("template.yaml");
        java.nio.file.Files.writeString(file, """
            Resources:
              SharedPolicy:
                Type: AWS::IAM::ManagedPolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                      - Effect: Allow
                        Action: sns:Publish
                        Resource: !Sub 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${EnvironmentName}-topic'
              OneFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: h
                  Policies:
                    - !Ref SharedPolicy
                    - Version: '2012-10-17'
                      Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]
              InstanceRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]
                  ManagedPolicyArns:
                    - !Ref SharedPolicy
            """);
        List<Role> roles = TemplatePolicies.forReport(SamTemplate.read(file), "env");

        assertThat(role(roles, "OneFunction").policies()).containsKeys("env-SharedPolicy", "OneFunctionPolicy2");
        assertThat(role(roles, "InstanceRole").policies()).containsOnlyKeys("env-SharedPolicy");
        assertThat(role(roles, "InstanceRole").policies().get("env-SharedPolicy").toString())
                .contains("arn:aws:sns:us-east-1:123456789012:env-topic");
    }
}
