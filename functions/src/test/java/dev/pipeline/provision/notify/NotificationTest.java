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

        assertThat(n.subject()).hasSizeLessThanOrEqualTo(Notification.SUBJECT_MAX);
    }
}
