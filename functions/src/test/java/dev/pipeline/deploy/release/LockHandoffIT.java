package dev.pipeline.deploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.DeployFixture;
import dev.pipeline.deploy.trigger.ExecutionNames;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.gateway.FaultRule;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AcquireLock, RecordRelease(QUEUED) and ReleaseLock as the deploy workflow calls them, against DynamoDB, SNS and
 * Step Functions on the local cloud: one deploy holds the lock, three uploads queue behind it, and its end hands the
 * lock to the newest of them only.
 */
@ExtendWith(LocalCloudExtension.class)
class LockHandoffIT {
    private static final Instant T0 = Instant.parse("2026-11-25T14:00:00.123Z");

    private String stateMachine;
    private String inbox;
    private AcquireLockHandler acquire;
    private RecordReleaseHandler record;
    private ReleaseLockHandler releaseLock;
    private ReleaseStore store;

    @BeforeEach
    void wiring(LocalCloud cloud, DynamoDbClient dynamo, SfnClient sfn, SnsClient sns, SqsClient sqs) {
        DeployTables.create(dynamo);
        store = new ReleaseStore(dynamo, DeployTables.RELEASES);
        stateMachine = DeployFixture.passStateMachine(sfn, "vprofile-deploy");
        String topic = sns.createTopic(b -> b.name("vprofile-notifications")).topicArn();
        inbox = DeployFixture.inbox(sns, sqs, topic);
        Function<String, Map<String, String>> as = function -> {
            Map<String, String> env = new HashMap<>(DeployFixture.env(cloud, function));
            env.put("NOTIFICATION_TOPIC_ARN", topic);
            env.put("ARTIFACT_BUCKET", LocalDeployment.bucketName("vprofile"));
            return env;
        };
        acquire = new AcquireLockHandler(as.apply("AcquireLockFunction"));
        record = new RecordReleaseHandler(as.apply("RecordReleaseFunction"));
        releaseLock = new ReleaseLockHandler(as.apply("ReleaseLockFunction"));
    }

    @Test
    void holderAndThreeQueued_releaseHandsTheLockToTheNewest_supersedesTheOthers_andStartsItsExecution(
            SfnClient sfn, SqsClient sqs) {
        // given v1 deploying and v2, v3, v4 uploaded while it runs (v4 last), each recorded QUEUED
        ObjectNode holder = upload("v1");
        JsonNode held = StageHarness.invoke(acquire, holder);
        List<ObjectNode> queued = List.of(upload("v2"), upload("v3"), upload("v4"));
        for (ObjectNode q : queued) {
            JsonNode lock = StageHarness.invoke(acquire, q);
            assertThat(lock.path("outcome").asText()).isEqualTo("QUEUED");
            assertThat(lock.path("holder").asText()).isEqualTo(id("v1"));
            q.set("lock", lock);
            StageHarness.invoke(record, recordParams("QUEUED", q));
        }
        assertThat(held.path("outcome").asText()).isEqualTo("ACQUIRED");
        assertThat(held.path("releaseId").asText()).isEqualTo(ReleaseIds.of(uploadedAt("v1"), id("v1")));

        // when v1's run releases the lock
        JsonNode handoff = StageHarness.invoke(releaseLock, releaseParams(holder));

        // then v4 holds the lock and its resumed execution started with v4's upload and v1's run settings
        String next = id("v4");
        assertThat(handoff.path("next").asText()).isEqualTo(next);
        assertThat(handoff.path("superseded")).extracting(JsonNode::asText).containsExactlyInAnyOrder(id("v2"), id("v3"));
        List<ExecutionListItem> executions = sfn.listExecutions(b -> b.stateMachineArn(stateMachine)).executions();
        assertThat(executions).extracting(ExecutionListItem::name).containsExactly(ExecutionNames.resumed(next));
        assertThat(handoff.path("nextExecutionArn").asText()).isEqualTo(executions.getFirst().executionArn());
        JsonNode input = DeployFixture.json(sfn.describeExecution(b -> b.executionArn(executions.getFirst().executionArn())).input());
        assertThat(input.path("mode").asText()).isEqualTo("upload");
        assertThat(input.path("upload")).isEqualTo(queued.get(2).path("upload"));
        assertThat(input.path("run").path("pollSeconds").asInt()).isEqualTo(1);
        assertThat(input.path("run").path("timeoutSeconds").asInt()).isEqualTo(600);
        // ...the resumed run's AcquireLock finds the lock already its own
        ObjectNode resumed = upload("v4");
        ((ObjectNode) resumed.get("run")).put("token", ExecutionNames.resumed(next));
        assertThat(StageHarness.invoke(acquire, resumed).path("outcome").asText()).isEqualTo("ACQUIRED");

        // and v2 and v3 are recorded SUPERSEDED, naming the upload that won, keeping when they were queued
        for (String v : List.of("v2", "v3")) {
            Release r = store.get(DeployFixture.ENV, ReleaseIds.of(uploadedAt(v), id(v))).orElseThrow();
            assertThat(r.status()).isEqualTo(ReleaseStatus.SUPERSEDED);
            assertThat(r.reason()).contains("releases/" + "v4" + ".war").contains(next);
            assertThat(r.key()).isEqualTo("releases/" + v + ".war");
            assertThat(r.startedAt()).isEqualTo(uploadedAt(v).plusMillis(300));
            assertThat(r.finishedAt()).isNotNull();
        }
        assertThat(store.get(DeployFixture.ENV, ReleaseIds.of(uploadedAt("v4"), next)).orElseThrow().status())
                .isEqualTo(ReleaseStatus.QUEUED);

        // and one notification lists both
        List<JsonNode> messages = DeployFixture.drain(sqs, inbox);
        assertThat(messages).hasSize(1);
        assertThat(messages.getFirst().path("Subject").asText()).isEqualTo("[vprofile] 2 releases SUPERSEDED");
        JsonNode body = DeployFixture.json(messages.getFirst().path("Message").asText());
        assertThat(body.path("releases")).extracting(r -> r.path("uploadId").asText()).containsExactlyInAnyOrder(id("v2"), id("v3"));
        assertThat(body.path("supersededBy").path("uploadId").asText()).isEqualTo(next);
    }

    @Test
    void releasingTwice_startsNoSecondExecution_andAnnouncesNothingAgain(SfnClient sfn, SqsClient sqs) {
        ObjectNode holder = upload("v1");
        StageHarness.invoke(acquire, holder);
        StageHarness.invoke(acquire, upload("v2"));
        StageHarness.invoke(acquire, upload("v3"));

        JsonNode first = StageHarness.invoke(releaseLock, releaseParams(holder));
        JsonNode again = StageHarness.invoke(releaseLock, releaseParams(holder)); // a Lambda retry of the same state

        assertThat(sfn.listExecutions(b -> b.stateMachineArn(stateMachine)).executions())
                .extracting(ExecutionListItem::name).containsExactly(ExecutionNames.resumed(id("v3")));
        // the retry learns the same decision (it may have been the call that crashed before starting v3)
        assertThat(again.path("next").asText()).isEqualTo(first.path("next").asText());
        assertThat(again.path("nextExecutionArn").asText()).isEqualTo(first.path("nextExecutionArn").asText());
        assertThat(DeployFixture.drain(sqs, inbox)).hasSize(1);
    }

    @Test
    void aFailedPublish_neverStrandsTheNextDeploy_itsExecutionHasStarted_andARetryAnnouncesOnce(
            LocalCloud cloud, SfnClient sfn, SqsClient sqs) {
        ObjectNode holder = upload("v1");
        StageHarness.invoke(acquire, holder);
        StageHarness.invoke(acquire, upload("v2"));
        StageHarness.invoke(acquire, upload("v3"));
        cloud.injectFault(FaultRule.error("sns", "Publish", 403, "AuthorizationError", "not authorized to perform: SNS:Publish").times(1));

        assertThatThrownBy(() -> StageHarness.invoke(releaseLock, releaseParams(holder)))
                .hasMessageContaining("not authorized");

        // the lock went to v3, and v3's execution runs although the announcement of v2 failed
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(stateMachine)).executions())
                .extracting(ExecutionListItem::name).containsExactly(ExecutionNames.resumed(id("v3")));
        // the ASL's retry of ReleaseLock announces v2 then, once
        StageHarness.invoke(releaseLock, releaseParams(holder));
        List<JsonNode> messages = DeployFixture.drain(sqs, inbox);
        assertThat(messages).hasSize(1);
        assertThat(messages.getFirst().path("Subject").asText()).isEqualTo("[vprofile] release releases/v2.war SUPERSEDED");
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(stateMachine)).executions()).hasSize(1);
    }

    @Test
    void releaseWithNothingQueued_freesTheLock_andStartsNothing(SfnClient sfn, SqsClient sqs) {
        ObjectNode holder = upload("v1");
        StageHarness.invoke(acquire, holder);

        JsonNode out = StageHarness.invoke(releaseLock, releaseParams(holder));

        assertThat(out.has("next")).isFalse();
        assertThat(out.path("superseded")).isEmpty();
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(stateMachine)).executions()).isEmpty();
        assertThat(DeployFixture.drain(sqs, inbox)).isEmpty();
        assertThat(StageHarness.invoke(acquire, upload("v2")).path("outcome").asText()).isEqualTo("ACQUIRED");
    }

    private ObjectNode releaseParams(ObjectNode state) {
        ObjectNode p = JsonHandler.JSON.createObjectNode();
        p.set("state", state);
        p.put("executionArn", stateMachine.replace(":stateMachine:", ":execution:") + ":" + state.path("run").path("token").asText());
        return p;
    }

    static ObjectNode recordParams(String status, ObjectNode state) {
        ObjectNode p = JsonHandler.JSON.createObjectNode();
        p.put("status", status);
        p.set("state", state);
        return p;
    }

    /** The state of upload vN's run: key releases/vN.war, uploaded N seconds after T0. */
    private static ObjectNode upload(String v) {
        return DeployFixture.uploadState(id(v), "releases/" + v + ".war", "ver-" + v, uploadedAt(v));
    }

    private static Instant uploadedAt(String v) {
        return T0.plusSeconds(Integer.parseInt(v.substring(1)));
    }

    private static String id(String v) {
        return ExecutionNames.forUpload("releases/" + v + ".war", "ver-" + v);
    }
}
