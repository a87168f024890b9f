package dev.pipeline.provision.cfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipeline.functions.JsonHandler;
import dev.pipeline.local.LocalCloud;
import dev.pipeline.local.cloudformation.CustomResourceResponses;
import dev.pipeline.local.junit.Executions;
import dev.pipeline.local.junit.LocalCloudExtension;
import dev.pipeline.provision.LandingZone;
import dev.pipeline.provision.StageHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provision or teardown run CloudFormation started, ending outside its own failure path: StackRunAbandoned answers
 * the stack FAILED so it does not wait an hour, and leaves alone a run that answered itself. moto emits no Step
 * Functions events, so the test runs real executions and delivers the event AWS would send.
 */
@ExtendWith(LocalCloudExtension.class)
class StackRunAbandonedIT {
    private static final String ROLE = "arn:aws:iam::123456789012:role/s";
    private StackRunAbandonedHandler handler;
    private LocalCloud cloud;

    @BeforeEach
    void setUp(LocalCloud cloud) {
        this.cloud = cloud;
        // as the deployed function's execution role: the template's grants are what it has
        Map<String, String> env = LandingZone.asRole(new HashMap<>(Map.of(
                "AWS_ENDPOINT_URL", cloud.endpoint().toString(), "AWS_REGION", LocalCloud.REGION, "PIPELINE_LOCAL", "true")),
                cloud, "StackRunAbandonedFunction", Map.of());
        handler = new StackRunAbandonedHandler(env);
    }

    private ObjectNode input(String requestId) {
        ObjectNode in = JsonHandler.JSON.createObjectNode();
        in.putObject("spec").put("name", "vprofile");
        in.set("callback", JsonHandler.JSON.valueToTree(new StackCallback(CustomResourceResponses.url(cloud.endpoint(), requestId),
                "arn:aws:cloudformation:us-east-1:123456789012:stack/vprofile/1", requestId, "Environment", "vprofile")));
        return in;
    }

    private static ObjectNode event(DescribeExecutionResponse run) {
        ObjectNode e = JsonHandler.JSON.createObjectNode().put("source", "aws.states").put("detail-type", "Step Functions Execution Status Change");
        e.putObject("detail").put("executionArn", run.executionArn()).put("stateMachineArn", run.stateMachineArn())
                .put("name", run.name()).put("status", run.statusAsString()).put("input", run.input())
                .put("error", run.error()).put("cause", run.cause());
        return e;
    }

    @Test
    void aProvisionRunStoppedBeforeItAnswered_isAnsweredFailed_namingHowItEnded(SfnClient sfn) throws Exception {
        String machine = sfn.createStateMachine(b -> b.name("vprofile-provision").roleArn(ROLE).definition(
                "{\"StartAt\":\"WaitForProvisionAppServer\",\"States\":{\"WaitForProvisionAppServer\":{\"Type\":\"Wait\",\"Seconds\":600,\"End\":true}}}"))
                .stateMachineArn();
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("cfn-Create-r1").input(input("r1").toString())).executionArn();
        sfn.stopExecution(b -> b.executionArn(arn).error("Stopped").cause("stopped by hand"));
        DescribeExecutionResponse run = Executions.awaitEnd(sfn, arn, Duration.ofSeconds(30));

        JsonNode out = StageHarness.invoke(handler, event(run));

        assertThat(out.path("answered").asBoolean()).isTrue();
        JsonNode verdict = verdict("r1");
        assertThat(verdict.path("accepted").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.path("status").asText()).isEqualTo("FAILED");
        assertThat(verdict.path("reason").asText()).contains("provision run cfn-Create-r1 ended ABORTED before answering CloudFormation");
    }

    @Test
    void aRunThatAnsweredTheStackOnItsFailurePath_isLeftAlone(SfnClient sfn) throws Exception {
        String machine = sfn.createStateMachine(b -> b.name("vprofile-teardown").roleArn(ROLE).definition("""
                {"StartAt":"AnswerStackFailure","States":{
                  "AnswerStackFailure":{"Type":"Pass","Next":"TeardownFailed"},
                  "TeardownFailed":{"Type":"Fail","Error":"StageFailed","Cause":"the load balancer would not go"}}}"""))
                .stateMachineArn();
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("cfn-Delete-r2").input(input("r2").toString())).executionArn();
        DescribeExecutionResponse run = Executions.awaitEnd(sfn, arn, Duration.ofSeconds(30));

        JsonNode out = StageHarness.invoke(handler, event(run));

        assertThat(out.path("answered").asBoolean()).isFalse();
        HttpResponse<String> none = get("r2");
        assertThat(none.statusCode()).as("no second answer").isEqualTo(404);
    }

    private JsonNode verdict(String id) throws Exception {
        HttpResponse<String> r = get(id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonHandler.JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(CustomResourceResponses.url(cloud.endpoint(), id))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
