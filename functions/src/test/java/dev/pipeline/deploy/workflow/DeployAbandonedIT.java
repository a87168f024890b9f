package dev.pipeline.deploy.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.SampleWars;
import dev.pipeline.deploy.release.DeployLock;
import dev.pipeline.deploy.release.LockState;
import dev.pipeline.deploy.release.Release;
import dev.pipeline.deploy.release.ReleaseStatus;
import dev.pipeline.deploy.trigger.ExecutionNames;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.junit.LocalCloudExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static dev.pipeline.deploy.workflow.DeployedEnvironment.ENV;
import static dev.pipeline.deploy.workflow.DeployedEnvironment.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy run that ends without its own failure path (stopped by hand, timed out): the rule on the deploy state
 * machine's status changes calls DeployAbandoned, which terminates the run's builder, records the release FAILED
 * and hands the lock to the upload queued behind it. moto emits no Step Functions events, so the test plays the
 * run's stages up to the middle of its bake through the deployed functions, then delivers the event AWS would send.
 */
@ExtendWith(LocalCloudExtension.class)
class DeployAbandonedIT {
    private DeployedEnvironment env;
    private LambdaClient lambda;

    @BeforeEach
    void provision(LocalCloud cloud) throws Exception {
        env = DeployedEnvironment.provision(cloud);
        lambda = cloud.client(LambdaClient.class);
    }

    private JsonNode invoke(String function, JsonNode payload) {
        var r = lambda.invoke(b -> b.functionName(ENV + "-" + function).payload(SdkBytes.fromUtf8String(payload.toString())));
        JsonNode out = DeployedEnvironment.read(r.payload().asUtf8String());
        assertThat(r.functionError()).as(function + ": " + out).isNull();
        return out;
    }

    private ObjectNode input(String id, String versionId, Instant uploadedAt) {
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        in.put("mode", "upload");
        in.putObject("upload").put("id", id).put("bucket", env.deployed.bucket()).put("key", KEY).put("versionId", versionId)
                .put("uploadedAt", uploadedAt.toString());
        in.putNull("rollbackTo");
        in.putObject("run").put("pollSeconds", 1).put("timeoutSeconds", 240);
        return in;
    }

    @Test
    void anAbortedDeploy_isCleanedUp_andTheQueuedUploadGoesOn(SfnClient sfn) {
        // given a run that holds the lock and has launched its builder when it is stopped by hand
        // not a releases/*.war key: no deploy of its own (the bucket rule) races this run for the lock; it never gets far anyway
        String v1 = env.upload("releases/other.war-by-hand", SampleWars.version("1"));
        String name = "abandoned-run";
        ObjectNode input = input(name, v1, Instant.now());
        ObjectNode state = input.deepCopy();
        ((ObjectNode) state.get("run")).put("token", name).put("startedAt", Instant.now().toString());
        ((ObjectNode) state.get("upload")).put("key", "releases/other.war-by-hand");
        state.set("spec", invoke("PrepareReleaseFunction", state));
        ObjectNode validate = JsonHandler.JSON.createObjectNode().put("bucket", env.deployed.bucket())
                .put("key", "releases/other.war-by-hand").put("versionId", v1);
        state.set("artifact", invoke("ValidateArtifactFunction", validate));
        assertThat(invoke("AcquireLockFunction", state).path("outcome").asText()).isEqualTo("ACQUIRED");
        invoke("RecordReleaseFunction", JsonHandler.JSON.createObjectNode().put("status", "DEPLOYING").set("state", state));
        JsonNode bake = invoke("BakeReleaseFunction", state);
        assertThat(bake.path("ready").asBoolean()).isFalse();
        assertThat(env.liveBuilders()).hasSize(1);

        // and a newer upload queued behind it
        String v2 = env.upload("releases/queued.war", SampleWars.version("2"));
        String queuedId = "queued-upload";
        ObjectNode queued = input(queuedId, v2, Instant.now().plusSeconds(1));
        ((ObjectNode) queued.get("upload")).put("key", "releases/queued.war");
        ((ObjectNode) queued.get("run")).put("token", queuedId);
        assertThat(invoke("AcquireLockFunction", queued).path("outcome").asText()).isEqualTo("QUEUED");

        // when Step Functions reports the run ABORTED
        ObjectNode event = JsonHandler.JSON.createObjectNode();
        event.put("version", "0").put("detail-type", "Step Functions Execution Status Change").put("source", "aws.states");
        ObjectNode detail = event.putObject("detail");
        ((ObjectNode) input.get("upload")).put("key", "releases/other.war-by-hand");
        detail.put("executionArn", env.executionArn(name)).put("stateMachineArn", env.deployMachineArn()).put("name", name)
                .put("status", "ABORTED").put("input", input.toString());
        JsonNode out = invoke("DeployAbandonedFunction", event);

        // then no builder is left, the release is FAILED saying why, and the queued upload has the lock and runs
        assertThat(out.path("handled").asBoolean()).as(out.toString()).isTrue();
        assertThat(env.liveBuilders()).isEmpty();
        Release abandoned = env.releases().stream().filter(r -> r.execution() != null && r.execution().contains(name))
                .findFirst().orElseThrow(() -> new AssertionError("no release of " + name + " in " + env.releases()));
        assertThat(abandoned.status()).isEqualTo(ReleaseStatus.FAILED);
        assertThat(abandoned.reason()).contains("ABORTED");
        LockState lock = new DeployLock(env.cloud.client(DynamoDbClient.class), ENV + "-deploy-lock", Clock.systemUTC())
                .state(ENV).orElseThrow();
        assertThat(lock.holder()).isEqualTo(queuedId);
        DescribeExecutionResponse next = Executions.awaitEnd(sfn, env.executionArn(ExecutionNames.resumed(queuedId)),
                Duration.ofMinutes(3));
        assertThat(next.status()).as(next.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);

        // and delivering the same event again changes nothing
        JsonNode again = invoke("DeployAbandonedFunction", event);
        assertThat(again.path("handled").asBoolean()).isTrue();
        assertThat(env.releases().stream().filter(r -> r.status() == ReleaseStatus.SUCCEEDED)).hasSize(1);
        assertThat(new DeployLock(env.cloud.client(DynamoDbClient.class), ENV + "-deploy-lock", Clock.systemUTC())
                .state(ENV).orElseThrow().holder()).isNull();
    }

    @Test
    void aRunThatSucceeded_orIsStillRunning_isLeftAlone() {
        ObjectNode event = JsonHandler.JSON.createObjectNode();
        ObjectNode detail = event.putObject("detail");
        detail.put("executionArn", env.executionArn("x")).put("name", "x").put("status", "SUCCEEDED")
                .put("input", input("x", "v", Instant.now()).toString());
        assertThat(invoke("DeployAbandonedFunction", event).path("handled").asBoolean()).isFalse();
        detail.put("status", "RUNNING");
        assertThat(invoke("DeployAbandonedFunction", event).path("handled").asBoolean()).isFalse();
    }
}
