package dev.pipeline.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Resource tags are read from moto only when a policy the request is put to could use them. */
class MotoLookupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode policy(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void policiesThatNameAResourceTagKey_readTags_inAnyCaseAndService() throws Exception {
        assertThat(MotoLookup.readsResourceTags(List.of(policy("{'Statement':[{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:ResourceTag/env':'x'}}}]}")))).isTrue();
        assertThat(MotoLookup.readsResourceTags(List.of(
                policy("{'Statement':[{'Effect':'Allow','Action':'ec2:DescribeVpcs','Resource':'*'}]}"),
                policy("{'Statement':[{'Effect':'Deny','Action':'ssm:*','Resource':'*','Condition':{'StringNotEquals':{'SSM:resourcetag/team':'a'}}}]}"))))
                .isTrue();
        assertThat(MotoLookup.readsResourceTags(List.of(policy("{'Statement':[{'Effect':'Allow','Action':'ec2:StopInstances',"
                + "'Resource':'arn:aws:ec2:*:*:instance/*','Condition':{'StringEquals':{'ec2:ResourceTag/${aws:PrincipalTag/x}':'y'}}}]}")))).isTrue();
    }

    @Test
    void policiesWithoutOne_readNoTags_andMotoIsNotAsked() throws Exception {
        List<JsonNode> docs = List.of(policy("{'Statement':[{'Effect':'Allow','Action':'ec2:CreateTags','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:RequestTag/env':'x'},'ForAllValues:StringEquals':{'aws:TagKeys':['env']}}}]}"));
        assertThat(MotoLookup.readsResourceTags(docs)).isFalse();
        assertThat(MotoLookup.readsResourceTags(List.of())).isFalse();
        // no forwarder at all: asking moto would fail
        assertThat(new MotoLookup(null, "us-east-1", false).tags("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1")).isEmpty();
    }
}
