package dev.pipeline.provision.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationTest {

    private static ObjectNode state() {
        ObjectNode s = JsonHandler.JSON.createObjectNode();
        s.putObject("spec").put("name", "vprofile");
        s.putObject("secrets").put("databasePasswordParameter", "/pipeline/vprofile/db/password");
        s.putObject("verification").put("siteUrl", "http://vprofile-alb.example");
        return s;
    }

    @Test
    void success_namesTheEnvironmentOutcomeAndSite() throws Exception {
        Notification n = Notification.of(new NotifyInput("provision", "SUCCEEDED", "arn:exec", null, null, state()));

        assertThat(n.subject()).isEqualTo("[vprofile] provision SUCCEEDED");
        JsonNode body = JsonHandler.JSON.readTree(n.body());
        assertThat(body.path("siteUrl").asText()).isEqualTo("http://vprofile-alb.example");
        assertThat(body.has("secrets")).as("only chosen fields are reported").isFalse();
    }

    @Test
    void failure_namesTheStage_andTheLambdaErrorMessageRatherThanItsJson() throws Exception {
        ObjectNode error = JsonHandler.JSON.createObjectNode().put("Error", "dev.pipeline.functions.StageFailedException")
                .put("Cause", "{\"errorMessage\":\"network.vpcId: vpc-1 does not exist\",\"errorType\":\"x\",\"stackTrace\":[]}");

        Notification n = Notification.of(new NotifyInput("provision", "FAILED", "arn:exec", "ValidateSpec", error, state()));

        assertThat(n.subject()).isEqualTo("[vprofile] provision FAILED at ValidateSpec");
        JsonNode body = JsonHandler.JSON.readTree(n.body());
        assertThat(body.path("cause").asText()).isEqualTo("network.vpcId: vpc-1 does not exist");
        assertThat(body.path("failedStage").asText()).isEqualTo("ValidateSpec");
    }

    @Test
    void subject_staysWithinSnsLimit() {
        Notification n = Notification.of(new NotifyInput("provision", "FAILED", null, "X".repeat(200), null, state()));

        assertThat(n.subject().codePointCount(0, n.subject().length())).isLessThan(dev.pipeline.functions.SnsSubject.LIMIT);
    }

    private static ObjectNode deployState() {
        ObjectNode s = JsonHandler.JSON.createObjectNode();
        s.put("mode", "upload");
        s.putObject("spec").put("name", "vprofile");
        s.putObject("upload").put("id", "releases-app-war-1").put("key", "releases/app.war").put("versionId", "ver-1")
                .put("uploadedAt", "2026-11-25T14:00:00.123Z");
        s.putObject("artifact").put("sha256", "ab".repeat(32));
        s.putObject("release").put("imageId", "ami-0release000001");
        s.putObject("releaseVersion").put("version", 7);
        return s;
    }

    @Test
    void deploySuccess_isAReleaseSummary() throws Exception {
        ObjectNode state = deployState();
        state.putObject("rollout").put("outcome", "DEPLOYED");
        state.putObject("record").put("releaseId", "2026-11-25T14:00:00.123000Z#releases-app-war-1").put("status", "SUCCEEDED");

        Notification n = Notification.of(new NotifyInput("deploy", "SUCCEEDED", "arn:exec", null, null, state));

        assertThat(n.subject()).isEqualTo("[vprofile] release releases/app.war SUCCEEDED");
        JsonNode body = JsonHandler.JSON.readTree(n.body());
        assertThat(body.path("key").asText()).isEqualTo("releases/app.war");
        assertThat(body.path("versionId").asText()).isEqualTo("ver-1");
        assertThat(body.path("sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(body.path("imageId").asText()).isEqualTo("ami-0release000001");
        assertThat(body.path("launchTemplateVersion").asLong()).isEqualTo(7);
        assertThat(body.path("releaseId").asText()).isEqualTo("2026-11-25T14:00:00.123000Z#releases-app-war-1");
        assertThat(body.path("execution").asText()).isEqualTo("arn:exec");
    }

    @Test
    void deployRolledBack_saysRolledBack_withTheRolloutsReason() throws Exception {
        ObjectNode state = deployState();
        state.putObject("rollout").put("outcome", "ROLLED_BACK").put("reason", "i-1 failed health checks");
        state.putObject("record").put("status", "FAILED").put("reason", "i-1 failed health checks");

        Notification n = Notification.of(new NotifyInput("deploy", "FAILED", "arn:exec", null, null, state));

        assertThat(n.subject()).isEqualTo("[vprofile] release releases/app.war ROLLED_BACK");
        assertThat(JsonHandler.JSON.readTree(n.body()).path("reason").asText()).isEqualTo("i-1 failed health checks");
    }

    @Test
    void deployRejectedBeforeItHadASpec_namesTheEnvironmentFromTheFunction_andTheValidationMessage() throws Exception {
        ObjectNode state = deployState();
        state.remove("spec");
        state.putObject("record").put("status", "REJECTED");
        ObjectNode error = JsonHandler.JSON.createObjectNode().put("Error", "dev.pipeline.functions.StageFailedException")
                .put("Cause", "{\"errorMessage\":\"releases/app.war is empty\"}");

        Notification n = Notification.of(new NotifyInput("deploy", "FAILED", "arn:exec", "ValidateArtifact", error, state), "vprofile");

        assertThat(n.subject()).isEqualTo("[vprofile] release releases/app.war REJECTED");
        JsonNode body = JsonHandler.JSON.readTree(n.body());
        assertThat(body.path("reason").asText()).isEqualTo("releases/app.war is empty");
        assertThat(body.path("failedStage").asText()).isEqualTo("ValidateArtifact");
    }

    @Test
    void provisioning_keepsItsFormat() {
        Notification n = Notification.of(new NotifyInput("provision", "SUCCEEDED", "arn:exec", null, null, state()), "other");

        assertThat(n.subject()).isEqualTo("[vprofile] provision SUCCEEDED");
    }
}
