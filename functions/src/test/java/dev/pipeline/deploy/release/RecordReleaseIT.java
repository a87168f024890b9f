package dev.pipeline.deploy.release;

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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.pipeline.deploy.release.LockHandoffIT.recordParams;
import static org.assertj.core.api.Assertions.assertThat;

/** RecordRelease against DynamoDB and the applied manifest in S3 on the local cloud. */
@ExtendWith(LocalCloudExtension.class)
class RecordReleaseIT {
    private static final String BUCKET = dev.pipeline.local.deploy.LocalDeployment.bucketName("vprofile");
    private static final String MANIFEST = "pipeline/vprofile/manifest.json";
    private static final Instant UPLOADED = Instant.parse("2026-11-25T14:00:00.123Z");
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private RecordReleaseHandler handler;
    private ReleaseStore store;
    private S3Client s3;
    private JsonNode provisioned;

    @BeforeEach
    void provisioned(LocalCloud cloud, DynamoDbClient dynamo, S3Client s3) {
        this.s3 = s3;
        DeployTables.create(dynamo);
        store = new ReleaseStore(dynamo, DeployTables.RELEASES);
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        ObjectNode m = JsonHandler.JSON.createObjectNode().put("manifestVersion", 1).put("environment", "vprofile")
                .put("savedAt", "2026-11-25T13:00:00Z");
        m.putObject("spec").put("name", "vprofile");
        m.putObject("launchTemplate").put("launchTemplateId", "lt-0abc").put("imageId", "ami-00000000golden");
        m.putObject("loadBalancer").put("dnsName", "vprofile-alb.example");
        provisioned = m;
        s3.putObject(b -> b.bucket(BUCKET).key(MANIFEST), RequestBody.fromString(m.toPrettyString()));
        Map<String, String> env = new HashMap<>(DeployFixture.env(cloud, "RecordReleaseFunction"));
        env.put("ARTIFACT_BUCKET", BUCKET);
        handler = new RecordReleaseHandler(env);
    }

    @Test
    void deployingThenDeployed_recordsACompleteSucceededRelease_andNamesItLiveInTheManifest() {
        ObjectNode state = deploying();
        JsonNode started = StageHarness.invoke(handler, recordParams("DEPLOYING", state));
        afterRollout(state, "DEPLOYED", null);

        JsonNode done = StageHarness.invoke(handler, recordParams("FINAL", state));
        Release recorded = store.get("vprofile", done.path("releaseId").asText()).orElseThrow();
        JsonNode again = StageHarness.invoke(handler, recordParams("FINAL", state)); // a retry

        String releaseId = ReleaseIds.of(UPLOADED, "releases-app-war-1");
        assertThat(started.path("status").asText()).isEqualTo("DEPLOYING");
        assertThat(done.path("releaseId").asText()).isEqualTo(releaseId);
        assertThat(done.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(recorded.key()).isEqualTo("releases/app.war");
        assertThat(recorded.versionId()).isEqualTo("ver-1");
        assertThat(recorded.sha256()).isEqualTo(SHA);
        assertThat(recorded.ami()).isEqualTo("ami-0release000001");
        assertThat(recorded.launchTemplateVersion()).isEqualTo(7L);
        assertThat(recorded.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
        assertThat(recorded.reason()).isNull();
        assertThat(recorded.uploadedAt()).isEqualTo(UPLOADED);
        assertThat(recorded.startedAt()).isEqualTo(UPLOADED.plusMillis(300)); // the run's start, kept from DEPLOYING
        assertThat(recorded.finishedAt()).isAfter(recorded.startedAt());
        assertThat(recorded.execution()).isEqualTo("releases-app-war-1");
        assertThat(again.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(store.get("vprofile", releaseId)).contains(recorded);
        assertThat(store.list("vprofile", 10)).hasSize(1);

        JsonNode manifest = manifest();
        JsonNode live = manifest.path("release");
        assertThat(live.path("releaseId").asText()).isEqualTo(releaseId);
        assertThat(live.path("key").asText()).isEqualTo("releases/app.war");
        assertThat(live.path("versionId").asText()).isEqualTo("ver-1");
        assertThat(live.path("sha256").asText()).isEqualTo(SHA);
        assertThat(live.path("imageId").asText()).isEqualTo("ami-0release000001");
        assertThat(live.path("launchTemplateVersion").asLong()).isEqualTo(7);
        assertThat(Instant.parse(live.path("deployedAt").asText())).isEqualTo(recorded.finishedAt());
        ObjectNode rest = manifest.deepCopy();
        rest.remove("release");
        assertThat(rest).isEqualTo(provisioned);
    }

    @Test
    void rolledBack_isRecordedRolledBack_withTheRolloutsReason_andTheManifestKeepsNoRelease() {
        ObjectNode state = deploying();
        StageHarness.invoke(handler, recordParams("DEPLOYING", state));
        afterRollout(state, "ROLLED_BACK", "instance refresh RollbackSuccessful: i-0abc on ami-0release000001 failed health checks");

        JsonNode out = StageHarness.invoke(handler, recordParams("FINAL", state));

        Release recorded = store.get("vprofile", out.path("releaseId").asText()).orElseThrow();
        assertThat(out.path("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(recorded.status()).isEqualTo(ReleaseStatus.ROLLED_BACK);
        assertThat(recorded.reason()).isEqualTo("instance refresh RollbackSuccessful: i-0abc on ami-0release000001 failed health checks");
        assertThat(out.path("reason").asText()).isEqualTo(recorded.reason());
        assertThat(recorded.ami()).isEqualTo("ami-0release000001");
        assertThat(recorded.finishedAt()).isNotNull();
        assertThat(manifest()).isEqualTo(provisioned);
    }

    @Test
    void rejected_isRecordedWithTheValidationErrorsMessage() {
        ObjectNode state = DeployFixture.uploadState("releases-app-war-1", "releases/app.war", "ver-1", UPLOADED);
        state.putObject("error").put("Error", "dev.pipeline.functions.StageFailedException").put("Cause",
                "{\"errorMessage\":\"releases/app.war is not a WAR: it has no WEB-INF/\",\"errorType\":\"dev.pipeline.functions.StageFailedException\",\"stackTrace\":[]}");

        JsonNode out = StageHarness.invoke(handler, recordParams("REJECTED", state));

        Release recorded = store.get("vprofile", out.path("releaseId").asText()).orElseThrow();
        assertThat(recorded.status()).isEqualTo(ReleaseStatus.REJECTED);
        assertThat(recorded.reason()).isEqualTo("releases/app.war is not a WAR: it has no WEB-INF/");
        assertThat(recorded.key()).isEqualTo("releases/app.war");
        assertThat(recorded.finishedAt()).isNotNull();
        assertThat(manifest()).isEqualTo(provisioned);
    }

    @Test
    void aFailureAfterTheFleetMoved_leavesTheReleaseSucceeded() {
        ObjectNode state = deploying();
        afterRollout(state, "DEPLOYED", null);
        StageHarness.invoke(handler, recordParams("FINAL", state));
        state.putObject("error").put("Error", "States.TaskFailed").put("Cause", "PruneImages timed out");

        JsonNode out = StageHarness.invoke(handler, recordParams("FAILED", state));

        assertThat(out.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(out.path("summary").asText()).contains("already SUCCEEDED").contains("PruneImages timed out");
        assertThat(store.get("vprofile", out.path("releaseId").asText()).orElseThrow().status()).isEqualTo(ReleaseStatus.SUCCEEDED);
    }

    @Test
    void rollback_isRecordedWithTheRestoredReleasesObject_andWhatItRolledBackTo() {
        ObjectNode state = DeployFixture.uploadState("rollback-1", null, null, UPLOADED);
        state.put("mode", "rollback");
        afterRollout(state, "DEPLOYED", null);
        state.putObject("release").put("ready", true).put("releaseId", ReleaseIds.of(UPLOADED, "rollback-1"))
                .put("imageId", "ami-0release000000").put("rollbackOf", "2026-11-24T10:00:00.000000Z#releases-app-war-0")
                .put("key", "releases/app.war").put("versionId", "ver-0").put("sha256", SHA);

        JsonNode out = StageHarness.invoke(handler, recordParams("FINAL", state));

        Release recorded = store.get("vprofile", out.path("releaseId").asText()).orElseThrow();
        assertThat(recorded.status()).isEqualTo(ReleaseStatus.SUCCEEDED);
        assertThat(recorded.rollbackOf()).isEqualTo("2026-11-24T10:00:00.000000Z#releases-app-war-0");
        assertThat(recorded.key()).isEqualTo("releases/app.war");
        assertThat(recorded.versionId()).isEqualTo("ver-0");
        assertThat(recorded.sha256()).isEqualTo(SHA);
        assertThat(recorded.ami()).isEqualTo("ami-0release000000");
        assertThat(manifest().path("release").path("rollbackOf").asText()).isEqualTo(recorded.rollbackOf());
    }

    /** Upload releases/app.war version ver-1, validated (sha256), baked to ami-0release000001, holding the lock. */
    private static ObjectNode deploying() {
        ObjectNode state = DeployFixture.uploadState("releases-app-war-1", "releases/app.war", "ver-1", UPLOADED);
        state.putObject("artifact").put("bucket", BUCKET).put("key", "releases/app.war").put("versionId", "ver-1")
                .put("sha256", SHA).put("size", 4096);
        state.putObject("lock").put("outcome", "ACQUIRED").put("holder", "releases-app-war-1");
        return state;
    }

    private static void afterRollout(ObjectNode state, String outcome, String reason) {
        state.putObject("release").put("ready", true).put("imageId", "ami-0release000001");
        state.putObject("releaseVersion").put("launchTemplateId", "lt-0abc").put("previousVersion", 6).put("version", 7)
                .put("imageId", "ami-0release000001");
        ObjectNode rollout = state.putObject("rollout").put("ready", true).put("outcome", outcome);
        if (reason != null) rollout.put("reason", reason);
    }

    private JsonNode manifest() {
        return DeployFixture.json(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(MANIFEST)).asUtf8String());
    }
}
