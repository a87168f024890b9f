package dev.pipeline.deploy.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.deploy.SampleWars;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.functions.StageFailedException;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.deploy.LocalDeployment;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(LocalCloudExtension.class)
class ValidateArtifactIT {
    private static final String BUCKET = LocalDeployment.bucketName("vprofile");

    private LocalCloud cloud;
    private S3Client s3;

    @BeforeEach
    void bucket(LocalCloud cloud, S3Client s3) {
        this.cloud = cloud;
        this.s3 = s3;
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
    }

    @Test
    void goodWar_passes_pinnedToItsVersion_withItsSha256() throws Exception {
        byte[] war = SampleWars.version("1");
        String version = upload("releases/app.war", war);
        upload("releases/app.war", SampleWars.version("2")); // a newer upload of the same key

        JsonNode out = validate(flat("releases/app.war", version));

        assertThat(out.path("versionId").asText()).isEqualTo(version);
        assertThat(out.path("sha256").asText()).isEqualTo(sha256(war));
        assertThat(out.path("size").asLong()).isEqualTo(war.length);
        assertThat(out.path("bucket").asText()).isEqualTo(BUCKET);
        assertThat(out.path("key").asText()).isEqualTo("releases/app.war");
    }

    @Test
    void eventBridgeObjectCreatedEvent_isAccepted_asInput() {
        byte[] war = SampleWars.version("3");
        String version = upload("releases/app.war", war);
        ObjectNode event = JsonHandler.JSON.createObjectNode().put("detail-type", "Object Created").put("source", "aws.s3");
        ObjectNode detail = event.putObject("detail");
        detail.putObject("bucket").put("name", BUCKET);
        detail.putObject("object").put("key", "releases/app.war").put("size", war.length).put("version-id", version);

        JsonNode out = validate(event);

        assertThat(out.path("versionId").asText()).isEqualTo(version);
        assertThat(out.path("sha256").asText()).isEqualTo(sha256(war));
    }

    @Test
    void keyWithSpacesUnicodeAndPlus_isRead_asStored() {
        String key = "releases/my app über+1 (final).war";
        byte[] war = SampleWars.version("4");
        String version = upload(key, war);

        JsonNode out = validate(flat(key, version));

        assertThat(out.path("key").asText()).isEqualTo(key);
        assertThat(out.path("sha256").asText()).isEqualTo(sha256(war));
    }

    @Test
    void withoutVersionId_theCurrentVersionIsValidated_andNamed() {
        upload("releases/app.war", SampleWars.version("1"));
        String current = upload("releases/app.war", SampleWars.version("2"));

        JsonNode out = validate(flat("releases/app.war", null));

        assertThat(out.path("versionId").asText()).isEqualTo(current);
        assertThat(out.path("sha256").asText()).isEqualTo(sha256(SampleWars.version("2")));
    }

    @Test
    void notAZip_isRejected_withItsReason() {
        String version = upload("releases/app.war", "<html>oops</html>".getBytes());
        assertRejected(flat("releases/app.war", version), "NOT_A_ZIP", "not a zip");
    }

    @Test
    void emptyUpload_isRejected() {
        String version = upload("releases/app.war", new byte[0]);
        assertRejected(flat("releases/app.war", version), "EMPTY", "empty");
    }

    @Test
    void uploadOverTheSizeLimit_isRejected_fromItsMetadata_beforeDownload() {
        byte[] war = SampleWars.version("1");
        String version = upload("releases/app.war", war);
        Map<String, String> env = env();
        env.put("ARTIFACT_MAX_BYTES", Long.toString(war.length - 1));

        assertThatThrownBy(() -> StageHarness.invoke(new ValidateArtifactHandler(env), flat("releases/app.war", version)))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("TOO_LARGE")
                .hasMessageContaining("is " + war.length + " bytes, more than the limit of " + (war.length - 1));
    }

    @Test
    void zipWithoutWebInf_isRejected() {
        String version = upload("releases/app.war", SampleWars.zip(Map.of("index.html", "hi".getBytes())));
        assertRejected(flat("releases/app.war", version), "NOT_A_WAR", "WEB-INF/");
    }

    @Test
    void entryWithDotDot_isRejected() {
        String version = upload("releases/app.war", SampleWars.warWith("WEB-INF/../../etc/cron.d/evil", "x".getBytes()));
        assertRejected(flat("releases/app.war", version), "UNSAFE_PATH", "WEB-INF/../../etc/cron.d/evil");
    }

    @Test
    void absoluteEntry_isRejected() {
        String version = upload("releases/app.war", SampleWars.warWith("/etc/passwd", "x".getBytes()));
        assertRejected(flat("releases/app.war", version), "UNSAFE_PATH", "/etc/passwd");
    }

    @Test
    void zipBomb_isRejected() {
        String version = upload("releases/app.war", SampleWars.warWith("WEB-INF/lib/zeros.jar", new byte[64 * 1024 * 1024]));
        assertRejected(flat("releases/app.war", version), "ZIP_BOMB", "times its size");
    }

    @Test
    void deletedObject_isReportedGone() {
        upload("releases/app.war", SampleWars.version("1"));
        s3.deleteObject(b -> b.bucket(BUCKET).key("releases/app.war")); // the current version is now a delete marker

        assertGone(flat("releases/app.war", null));
    }

    @Test
    void deletedVersion_isReportedGone() {
        String version = upload("releases/app.war", SampleWars.version("1"));
        s3.deleteObject(b -> b.bucket(BUCKET).key("releases/app.war").versionId(version));

        assertGone(flat("releases/app.war", version));
    }

    @Test
    void neverUploadedKey_isReportedGone() {
        assertGone(flat("releases/nothing.war", null));
    }

    @Test
    void objectOutsideTheArtifactBucket_isRefused() {
        s3.createBucket(b -> b.bucket("someone-elses-bucket"));
        s3.putObject(b -> b.bucket("someone-elses-bucket").key("releases/app.war"), RequestBody.fromBytes(SampleWars.version("1")));
        ObjectNode in = flat("releases/app.war", null).put("bucket", "someone-elses-bucket");

        assertThatThrownBy(() -> validate(in)).isInstanceOf(StageFailedException.class).hasMessageContaining("not in the artifact bucket");
    }

    private String upload(String key, byte[] body) {
        return s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body)).versionId();
    }

    private JsonNode validate(JsonNode input) {
        return StageHarness.invoke(new ValidateArtifactHandler(env()), input);
    }

    private void assertRejected(JsonNode input, String reason, String message) {
        assertThatThrownBy(() -> validate(input))
                .isInstanceOf(StageFailedException.class)
                .hasMessageContaining("rejected s3://" + BUCKET)
                .hasMessageContaining("(" + reason + ")")
                .hasMessageContaining(message);
    }

    private void assertGone(JsonNode input) {
        assertThatThrownBy(() -> validate(input)).isInstanceOf(StageFailedException.class).hasMessageContaining("is gone");
    }

    private static ObjectNode flat(String key, String versionId) {
        ObjectNode in = JsonHandler.JSON.createObjectNode().put("bucket", BUCKET).put("key", key);
        if (versionId != null) in.put("versionId", versionId);
        return in;
    }

    /** As the deployed function: its execution role's grants decide what S3 answers (a missing key is 404 only with s3:ListBucket). */
    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(LocalCloud.functionEnvironment(cloud.endpoint()));
        env.put("ARTIFACT_BUCKET", BUCKET);
        return LandingZone.asRole(env, cloud, "ValidateArtifactFunction", Map.of());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
