package dev.pipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipeline.local.iam.PolicyEvaluator.Check;
import dev.pipeline.local.iam.PolicyEvaluator.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PolicyEvaluator evaluator = new PolicyEvaluator(IamEnforcement::modelledKey);

    private static JsonNode policy(String statements) throws Exception {
        return JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements.replace('\'', '"') + "]}");
    }

    private Decision decide(JsonNode policy, String action, String resource, Map<String, List<String>> context) {
        return evaluator.evaluate(List.of(policy), new Check(action, resource, context)).decision();
    }

    @Test
    void allows_onlyWhatAStatementGrants_onMatchingResources() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':['ec2:TerminateInstances'],'Resource':'arn:aws:ec2:us-east-1:123456789012:instance/*'}");
        assertThat(decide(p, "ec2:TerminateInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", Map.of())).isEqualTo(Decision.ALLOW);
        assertThat(decide(p, "ec2:TerminateInstances", "arn:aws:ec2:us-east-1:123456789012:volume/vol-1", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(p, "ec2:StopInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void imageArnsWithoutAccount_doNotMatchAGrantWithTheAccount() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'arn:aws:ec2:us-east-1:123456789012:*/*'}");
        assertThat(decide(p, "ec2:CreateTags", "arn:aws:ec2:us-east-1::image/*", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void explicitDeny_winsOverAnAllow() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'},{'Effect':'Deny','Action':'s3:DeleteObject','Resource':'arn:aws:s3:::b/*'}");
        assertThat(decide(p, "s3:DeleteObject", "arn:aws:s3:::b/k", Map.of())).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(p, "s3:GetObject", "arn:aws:s3:::b/k", Map.of())).isEqualTo(Decision.ALLOW);
    }

    @Test
    void notActionAndNotResource_allowEverythingElse() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','NotAction':'iam:*','NotResource':'arn:aws:s3:::secret/*'}");
        assertThat(decide(p, "s3:GetObject", "arn:aws:s3:::b/k", Map.of())).isEqualTo(Decision.ALLOW);
        assertThat(decide(p, "iam:PassRole", "arn:aws:iam::1:role/r", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(p, "s3:GetObject", "arn:aws:s3:::secret/k", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void requestTagCondition_refusesAWrongOrMissingTag() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':'ec2:RunInstances','Resource':'*','Condition':{'StringEquals':{'aws:RequestTag/pipeline:environment':'vprofile'}}}");
        assertThat(decide(p, "ec2:RunInstances", "x", Map.of("aws:requesttag/pipeline:environment", List.of("vprofile")))).isEqualTo(Decision.ALLOW);
        assertThat(decide(p, "ec2:RunInstances", "x", Map.of("aws:requesttag/pipeline:environment", List.of("other")))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(p, "ec2:RunInstances", "x", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void negatedOperators_andIfExists_holdWhenTheKeyIsAbsent() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'*','Condition':{'StringNotEquals':{'aws:ResourceTag/owner':'them'},"
                + "'StringEqualsIfExists':{'ec2:CreateAction':'RunInstances'}}}");
        assertThat(decide(p, "ec2:CreateTags", "x", Map.of())).isEqualTo(Decision.ALLOW);
        assertThat(decide(p, "ec2:CreateTags", "x", Map.of("aws:resourcetag/owner", List.of("them")))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(p, "ec2:CreateTags", "x", Map.of("ec2:createaction", List.of("CreateImage")))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void setOperators_judgeEveryOrAnyValue() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':'route53:ChangeResourceRecordSets','Resource':'*','Condition':{"
                + "'ForAllValues:StringEquals':{'route53:ChangeResourceRecordSetsActions':['UPSERT']},"
                + "'ForAllValues:StringLike':{'route53:ChangeResourceRecordSetsNormalizedRecordNames':'*.vprofile.internal'}}}");
        assertThat(decide(p, "route53:ChangeResourceRecordSets", "x", Map.of(
                "route53:changeresourcerecordsetsactions", List.of("UPSERT"),
                "route53:changeresourcerecordsetsnormalizedrecordnames", List.of("db01.vprofile.internal")))).isEqualTo(Decision.ALLOW);
        assertThat(decide(p, "route53:ChangeResourceRecordSets", "x", Map.of(
                "route53:changeresourcerecordsetsactions", List.of("UPSERT", "DELETE")))).isEqualTo(Decision.IMPLICIT_DENY);
        JsonNode any = policy("{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'*','Condition':{'ForAnyValue:StringEquals':{'aws:TagKeys':['Name']}}}");
        assertThat(decide(any, "ec2:CreateTags", "x", Map.of("aws:tagkeys", List.of("a", "Name")))).isEqualTo(Decision.ALLOW);
        assertThat(decide(any, "ec2:CreateTags", "x", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void nullAndBool_testPresenceAndTruth() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'*','Condition':{'Null':{'aws:RequestTag/team':'false'}}}");
        assertThat(decide(p, "ec2:CreateTags", "x", Map.of("aws:requesttag/team", List.of("a")))).isEqualTo(Decision.ALLOW);
        assertThat(decide(p, "ec2:CreateTags", "x", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void anUnknownConditionKeyOrOperator_isNotModelled_neverAllowed() throws Exception {
        JsonNode key = policy("{'Effect':'Allow','Action':'ec2:RunInstances','Resource':'*','Condition':{'StringEquals':{'ec2:InstanceType':'t3.micro'}}}");
        var r = evaluator.evaluate(List.of(key), new Check("ec2:RunInstances", "x", Map.of()));
        assertThat(r.decision()).isEqualTo(Decision.NOT_MODELLED);
        assertThat(r.detail()).contains("ec2:InstanceType");
        JsonNode op = policy("{'Effect':'Allow','Action':'ec2:RunInstances','Resource':'*','Condition':{'DateLessThan':{'aws:CurrentTime':'2030-01-01T00:00:00Z'}}}");
        assertThat(decide(op, "ec2:RunInstances", "x", Map.of())).isEqualTo(Decision.NOT_MODELLED);
    }

    @Test
    void actionsMatchIgnoringCase_resourcesDoNot() throws Exception {
        JsonNode p = policy("{'Effect':'Allow','Action':'EC2:describe*','Resource':'arn:aws:s3:::Bucket/*'}");
        assertThat(decide(p, "ec2:DescribeVpcs", "arn:aws:s3:::Bucket/k", Map.of())).isEqualTo(Decision.ALLOW);
        assertThat(decide(p, "ec2:DescribeVpcs", "arn:aws:s3:::bucket/k", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }
}
