package dev.pipeline.deploy.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.DeployFixture;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** StartDeploy against Step Functions on the local cloud, with a Pass state machine standing in for the deploy workflow. */
@ExtendWith(LocalCloudExtension.class)
class StartDeployIT {
    private static final String KEY = "releases/my app (v2).war";

    private String stateMachine;
    private StartDeployHandler handler;

    @BeforeEach
    void deployWorkflow(LocalCloud cloud, SfnClient sfn) {
        stateMachine = DeployFixture.passStateMachine(sfn, "vprofile-deploy");
        Map<String, String> env = new HashMap<>(DeployFixture.env(cloud, "StartDeployFunction"));
        env.put("DEPLOY_STATE_MACHINE_ARN", stateMachine);
        env.put("POLL_SECONDS", "2");
        env.put("RUN_TIMEOUT_SECONDS", "900");
        handler = new StartDeployHandler(env);
    }

    @Test
    void objectCreated_startsOneExecution_namedFromKeyAndVersion_withTheUploadAsInput(SfnClient sfn) {
        JsonNode out = StageHarness.invoke(handler, event("vprofile-artifacts", KEY, "3HL4kqtJlcpXroDTDmJ"));

        String name = ExecutionNames.forUpload(KEY, "3HL4kqtJlcpXroDTDmJ");
        assertThat(out.path("started").asBoolean()).isTrue();
        assertThat(out.path("executionName").asText()).isEqualTo(name);
        List<ExecutionListItem> executions = executions(sfn);
        assertThat(executions).extracting(ExecutionListItem::name).containsExactly(name);
        assertThat(out.path("executionArn").asText()).isEqualTo(executions.getFirst().executionArn());
        JsonNode input = DeployFixture.json(sfn.describeExecution(b -> b.executionArn(out.path("executionArn").asText())).input());
        assertThat(input.path("mode").asText()).isEqualTo("upload");
        assertThat(input.path("upload").path("id").asText()).isEqualTo(name);
        assertThat(input.path("upload").path("bucket").asText()).isEqualTo("vprofile-artifacts");
        assertThat(input.path("upload").path("key").asText()).isEqualTo(KEY);
        assertThat(input.path("upload").path("versionId").asText()).isEqualTo("3HL4kqtJlcpXroDTDmJ");
        assertThat(input.path("upload").path("uploadedAt").asText()).as("when S3 took it, not when the event arrived")
                .isEqualTo("2026-11-25T14:00:00Z");
        assertThat(input.path("upload").path("sequencer").asText()).isEqualTo("00617F08299329D189");
        assertThat(input.path("rollbackTo").isNull()).isTrue();
        assertThat(input.path("run").path("pollSeconds").asInt()).isEqualTo(2);
        assertThat(input.path("run").path("timeoutSeconds").asInt()).isEqualTo(900);
    }

    @Test
    void sameEventTwice_startsOneExecution_andTheSecondCallReportsADuplicate(SfnClient sfn) {
        ObjectNode event = event("vprofile-artifacts", KEY, "v1");

        JsonNode first = StageHarness.invoke(handler, event);
        JsonNode second = StageHarness.invoke(handler, event);

        assertThat(first.path("started").asBoolean()).isTrue();
        assertThat(second.path("started").asBoolean()).isFalse();
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(second.path("executionName").asText()).isEqualTo(first.path("executionName").asText());
        assertThat(executions(sfn)).hasSize(1);
    }

    @Test
    void anotherVersionOfTheSameKey_isAnotherDeploy(SfnClient sfn) {
        StageHarness.invoke(handler, event("vprofile-artifacts", KEY, "v1"));
        StageHarness.invoke(handler, event("vprofile-artifacts", KEY, "v2"));

        assertThat(executions(sfn)).hasSize(2);
    }

    @Test
    void keysOutsideReleases_orNotWars_orWithoutAVersion_startNothing(SfnClient sfn) {
        JsonNode outside = StageHarness.invoke(handler, event("vprofile-artifacts", "pipeline/vprofile/manifest.json", "v1"));
        JsonNode otherPrefix = StageHarness.invoke(handler, event("vprofile-artifacts", "bootstrap/app.war", "v1"));
        JsonNode notWar = StageHarness.invoke(handler, event("vprofile-artifacts", "releases/app.zip", "v1"));
        JsonNode unversioned = StageHarness.invoke(handler, event("vprofile-artifacts", "releases/app.war", "null"));

        for (JsonNode out : List.of(outside, otherPrefix, notWar, unversioned)) {
            assertThat(out.path("started").asBoolean()).isFalse();
            assertThat(out.path("reason").asText()).isNotBlank();
        }
        assertThat(notWar.path("reason").asText()).contains("releases/app.zip").contains("releases/*.war");
        assertThat(unversioned.path("reason").asText()).contains("versioning");
        assertThat(executions(sfn)).isEmpty();
    }

    private List<ExecutionListItem> executions(SfnClient sfn) {
        return sfn.listExecutions(b -> b.stateMachineArn(stateMachine)).executions();
    }

    /** The event S3 sends to EventBridge for a PutObject (fields as AWS documents them). */
    private static ObjectNode event(String bucket, String key, String versionId) {
        ObjectNode e = JsonHandler.JSON.createObjectNode();
        e.put("version", "0").put("id", "17793124-05d4-b198-2fde-7ededc63b103").put("detail-type", "Object Created")
                .put("source", "aws.s3").put("account", LocalCloud.ACCOUNT_ID).put("time", "2026-11-25T14:00:00Z")
                .put("region", LocalCloud.REGION);
        e.putArray("resources").add("arn:aws:s3:::" + bucket);
        ObjectNode detail = e.putObject("detail");
        detail.put("version", "0");
        detail.putObject("bucket").put("name", bucket);
        detail.putObject("object").put("key", key).put("size", 1234).put("etag", "b1946ac92492d2347c6235b4d2611184")
                .put("version-id", versionId).put("sequencer", "00617F08299329D189");
        detail.put("request-id", "N4N7GDK58NMKJ12R").put("requester", LocalCloud.ACCOUNT_ID).put("reason", "PutObject");
        return e;
    }
}
