package dev.pipeline.local.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The local CloudFormation judges a custom resource's answer as CloudFormation's response-object rules say. */
class CustomResourceResponsesTest {

    private static byte[] answer(String status, String reason, String physicalId) {
        return ("{\"Status\":\"" + status + "\",\"Reason\":\"" + reason + "\",\"PhysicalResourceId\":\"" + physicalId
                + "\",\"StackId\":\"s\",\"RequestId\":\"r\",\"LogicalResourceId\":\"Environment\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAnswerOver4096Bytes_failsTheResource_evenWhenItsCharactersAreFewer() {
        byte[] body = answer("SUCCESS", "ü".repeat(2100), "shop"); // 2,100 characters, 4,200+ bytes

        ObjectNode v = CustomResourceResponses.judge(body);

        assertThat(v.path("accepted").asBoolean()).isFalse();
        assertThat(v.path("status").asText()).isEqualTo("FAILED");
        assertThat(v.path("reason").asText()).isEqualTo("Response object is too long.");
    }

    @Test
    void aWellFormedAnswer_isTakenAsItSays_andAFailureNeedsAReason() {
        assertThat(CustomResourceResponses.judge(answer("SUCCESS", "", "shop")).path("accepted").asBoolean()).isTrue();
        assertThat(CustomResourceResponses.judge(answer("FAILED", "", "shop")).path("accepted").asBoolean()).isFalse();
        assertThat(CustomResourceResponses.judge(answer("OK", "x", "shop")).path("accepted").asBoolean()).isFalse();
        assertThat(CustomResourceResponses.judge(answer("SUCCESS", "", "")).path("accepted").asBoolean()).isFalse();
    }
}
